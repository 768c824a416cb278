package org.conv1d4j.internal.lowering;

/** The plain oneDNN format tag of the caller's activations, named as oneDNN names it. */
public enum ActivationFormat {
    /** 2D, channels first: {@code (N, C, H, W)}. */
    NCHW,
    /** 2D, channels last: {@code (N, H, W, C)}. */
    NHWC,
    /** 1D, channels first. */
    NCW,
    /** 1D, channels last. */
    NWC
}
