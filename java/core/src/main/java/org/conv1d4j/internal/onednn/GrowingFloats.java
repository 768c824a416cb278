package org.conv1d4j.internal.onednn;

import org.bytedeco.javacpp.FloatPointer;
import org.conv1d4j.nativeconfig.NativeOwner;

import java.nio.FloatBuffer;

/**
 * An aligned native float buffer that grows to the largest size asked of it, and allocates only then; one owner's
 * staging memory for calls whose sizes change (the sgemm's column copy, a network's bucket input and output).
 */
final class GrowingFloats {
    private NativeOwner owner = new NativeOwner();
    private AlignedFloats floats;
    private FloatBuffer view;
    private long capacity;

    /**
     * @param n the floats needed
     * @return this, holding at least {@code n} floats
     */
    GrowingFloats fit(long n) {
        if (n > capacity) {
            owner.close();
            owner = new NativeOwner();
            floats = new AlignedFloats(n, owner);
            view = floats.asBuffer();
            capacity = n;
        }
        return this;
    }

    /** @return the address of float 0 */
    long address() {
        return floats.address();
    }

    /** @return a buffer over the floats, the same object until the next growth */
    FloatBuffer view() {
        return view;
    }

    /** @return the floats as a pointer, for bulk copies from arrays */
    FloatPointer pointer() {
        return floats.pointer();
    }

    /** Frees the memory. */
    void close() {
        owner.close();
    }
}
