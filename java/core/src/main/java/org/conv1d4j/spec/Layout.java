package org.conv1d4j.spec;

/** Memory layout of activations (input and output). */
public enum Layout {
    /** Channels first, {@code (N, C, W)}: PyTorch. */
    NCW,
    /** Channels last, {@code (N, W, C)}: Keras / TensorFlow. */
    NWC
}
