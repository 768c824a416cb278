package org.conv1d4j;

import org.conv1d4j.nativeconfig.Alignment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct float buffers as {@link Conv1d#forward(FloatBuffer, FloatBuffer, int, int)} wants them: native byte order
 * and aligned to a 64-byte cache line ({@link #ALIGNMENT}, the alignment of conv1d4j's own staging buffers too).
 * Alignment is not required, but it matters: {@code ByteBuffer.allocateDirect} gives 16-byte alignment, and
 * oneDNN's AVX-512 kernels writing a misaligned output ran up to 2.2x slower here (wav2vec's first layer: 470 vs
 * 210 us).
 */
public final class DirectBuffers {
    /** The alignment of every buffer this class allocates, in bytes. */
    public static final int ALIGNMENT = Alignment.BYTES;
    /** The largest capacity one buffer can have, in floats: its bytes plus the alignment slack fit an int. */
    public static final int MAX_FLOATS = (Integer.MAX_VALUE - ALIGNMENT) / Float.BYTES;

    private DirectBuffers() {
    }

    /**
     * Allocates a buffer for {@code floats} floats. Its first element sits on a 64-byte boundary; its capacity and
     * limit are exactly {@code floats}, whatever the size (the allocation is {@code ALIGNMENT} bytes larger and
     * the window is cut by hand, so the end is never rounded down to a boundary).
     *
     * @param floats the capacity, in {@code 0..}{@link #MAX_FLOATS}
     * @return a zeroed direct buffer of {@code floats} floats, native order, 64-byte aligned, position 0
     * @throws IllegalArgumentException when {@code floats} is negative or too large for one buffer
     */
    public static FloatBuffer allocate(int floats) {
        if (floats < 0 || floats > MAX_FLOATS) {
            throw new IllegalArgumentException("floats: must be in 0.." + MAX_FLOATS + ", got " + floats);
        }
        int bytes = floats * Float.BYTES;
        ByteBuffer raw = ByteBuffer.allocateDirect(bytes + ALIGNMENT);
        // alignmentOffset of a direct buffer is the address of that index modulo the alignment
        int start = (ALIGNMENT - raw.alignmentOffset(0, ALIGNMENT)) % ALIGNMENT;
        return raw.position(start).limit(start + bytes).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
