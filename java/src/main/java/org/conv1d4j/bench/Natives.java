package org.conv1d4j.bench;

import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.List;

/** The native objects a benchmark fixture made, freed together in reverse order. */
final class Natives implements AutoCloseable {
    private final List<Pointer> owned = new ArrayList<>();

    <P extends Pointer> P own(P p) {
        owned.add(p);
        return p;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
