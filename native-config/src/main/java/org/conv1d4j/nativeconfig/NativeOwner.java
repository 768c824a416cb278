package org.conv1d4j.nativeconfig;

import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects native objects as they are made and frees them in reverse order, once: the owner of every native object
 * a plan, an execution context or a benchmark fixture makes.
 */
public final class NativeOwner implements AutoCloseable {
    private final List<Pointer> owned = new ArrayList<>();

    /** An owner of nothing yet. */
    public NativeOwner() {
        // objects arrive through own()
    }

    /**
     * @param p a native object just made
     * @param <P> its type
     * @return {@code p}, now owned
     */
    public <P extends Pointer> P own(P p) {
        owned.add(p);
        return p;
    }

    /** Frees everything owned, newest first; a second call does nothing. */
    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
