package org.conv1d4j.nativeconfig;

/**
 * The alignment of every buffer conv1d4j allocates for oneDNN, the caller's ({@code DirectBuffers}) and its own
 * staging buffers alike: a 64-byte cache line. malloc and {@code ByteBuffer.allocateDirect} give 16 bytes, and
 * oneDNN's AVX-512 kernels writing a misaligned output ran up to 2.2x slower (wav2vec 2.0's first layer: 470 vs
 * 210 us).
 */
public final class Alignment {
    /** The alignment in bytes. */
    public static final int BYTES = 64;

    private Alignment() {
    }
}
