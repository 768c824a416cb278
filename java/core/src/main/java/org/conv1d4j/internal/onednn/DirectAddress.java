package org.conv1d4j.internal.onednn;

import org.bytedeco.javacpp.Pointer;

import java.nio.Buffer;

/**
 * A reusable pointer that is aimed at a caller's direct buffer for one call, so that handing a buffer to oneDNN
 * allocates nothing. It never owns or frees what it points at.
 */
final class DirectAddress extends Pointer {
    /** @return the address of {@code b}'s element 0 (not of its position) */
    static long of(Buffer b) {
        return getDirectBufferAddress(b);
    }

    void aim(long addr) {
        this.address = addr;
    }
}
