package org.conv1d4j.onednn;

import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.List;

/** Collects native objects as they are made and frees them in reverse order, once. */
final class NativeOwner {
    private final List<Pointer> owned = new ArrayList<>();

    <P extends Pointer> P own(P p) {
        owned.add(p);
        return p;
    }

    void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
