package org.conv1d4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct float buffers as {@link Conv1d#forward(FloatBuffer, FloatBuffer, int, int)} wants them: native byte order
 * and aligned to a 64-byte cache line. Alignment is not required, but it matters: {@code ByteBuffer.allocateDirect}
 * gives 16-byte alignment, and oneDNN's AVX-512 kernels writing a misaligned output ran up to 2.2x slower here
 * (wav2vec's first layer: 470 vs 210 us).
 */
public final class DirectBuffers {
    /** The alignment of every buffer this class allocates, in bytes. */
    public static final int ALIGNMENT = 64;

    private DirectBuffers() {
    }

    /**
     * @param floats the capacity, at least 0
     * @return a zeroed direct buffer of {@code floats} floats, native order, 64-byte aligned, position 0
     * @throws IllegalArgumentException when {@code floats} is negative or too large for one buffer
     */
    public static FloatBuffer allocate(int floats) {
        if (floats < 0 || floats > (Integer.MAX_VALUE - ALIGNMENT) / Float.BYTES) {
            throw new IllegalArgumentException("floats: must be in 0.." + (Integer.MAX_VALUE - ALIGNMENT) / Float.BYTES
                    + ", got " + floats);
        }
        return ByteBuffer.allocateDirect(floats * Float.BYTES + ALIGNMENT).alignedSlice(ALIGNMENT)
                .limit(floats * Float.BYTES).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
