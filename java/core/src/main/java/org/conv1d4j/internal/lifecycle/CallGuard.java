package org.conv1d4j.internal.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The close protocol of an object that many threads call and one closes: calls bracket themselves with
 * {@link #enter()} and {@link #exit()}; {@link #close(Runnable)} refuses new calls at once, waits for the calls in
 * progress to return, then frees. So a call never runs on freed native memory, and a call after close throws
 * {@link IllegalStateException}. Costs two atomic updates and a volatile read per call; allocates nothing.
 */
public final class CallGuard {
    private final String closedMessage;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param closedMessage what a call after close says
     */
    public CallGuard(String closedMessage) {
        this.closedMessage = closedMessage;
    }

    /**
     * Admits a call; pair with {@link #exit()} in a {@code finally}.
     *
     * @throws IllegalStateException after {@link #close(Runnable)}
     */
    public void enter() {
        inFlight.incrementAndGet();
        if (closed.get()) {
            inFlight.decrementAndGet();
            throw new IllegalStateException(closedMessage);
        }
    }

    /** Ends a call admitted by {@link #enter()}. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    /** @return whether {@link #close(Runnable)} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Refuses new calls, waits for the ones in progress, then runs {@code free}; only the first call does anything.
     *
     * @param free what frees the guarded object's resources
     */
    public void close(Runnable free) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        while (inFlight.get() != 0) {
            Thread.onSpinWait();
        }
        free.run();
    }
}
