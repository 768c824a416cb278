package org.conv1d4j.internal.onednn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Objects for concurrent calls, made on demand and reused: a call takes one, idle or new, and gives it back, so that
 * steady calls make none (execution contexts, staging buffers, column copies). Taking and giving allocate nothing
 * once the pool has held as many objects as calls ran at once.
 *
 * @param <T> what the pool holds
 */
final class IdlePool<T> {
    private final Supplier<T> make;
    private final Consumer<T> free;
    private final ArrayDeque<T> idle = new ArrayDeque<>();
    private final List<T> all = new ArrayList<>();

    /**
     * @param make makes an object when none is idle (outside the pool's lock)
     * @param free frees one, when the pool closes
     */
    IdlePool(Supplier<T> make, Consumer<T> free) {
        this.make = make;
        this.free = free;
    }

    /** @return an idle object, or a new one; the caller's until {@link #give} */
    T take() {
        synchronized (idle) {
            T t = idle.pollFirst();
            if (t != null) {
                return t;
            }
        }
        T t = make.get();
        synchronized (idle) {
            all.add(t);
        }
        return t;
    }

    /** @param t an object {@link #take} returned */
    void give(T t) {
        synchronized (idle) {
            idle.addFirst(t);
        }
    }

    /** Frees every object the pool made; only once no call holds one. */
    void close() {
        synchronized (idle) {
            all.forEach(free);
            all.clear();
            idle.clear();
        }
    }
}
