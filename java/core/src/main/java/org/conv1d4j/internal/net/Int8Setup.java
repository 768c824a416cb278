package org.conv1d4j.internal.net;

import org.conv1d4j.spec.Quantization;

import java.util.Map;
import java.util.Set;

/**
 * How an int8 network runs: every tensor's quantization, and the convs that stay float32 (where calibration measured
 * int8 slower or less accurate than asked; none unless asked).
 *
 * @param quantization every tensor's quantization, by name (at least every int8 conv's input)
 * @param floatConvs the convs (node names) that run in float32
 */
public record Int8Setup(Map<String, Quantization> quantization, Set<String> floatConvs) {
    /**
     * Copies.
     *
     * @param quantization every tensor's quantization
     * @param floatConvs the convs that run in float32
     */
    public Int8Setup {
        quantization = Map.copyOf(quantization);
        floatConvs = Set.copyOf(floatConvs);
    }

    /** No int8 at all: a float network. */
    public static final Int8Setup NONE = new Int8Setup(Map.of(), Set.of());

    /**
     * @param conv a conv node's name
     * @param input its input tensor
     * @return the quantization its input gets, or {@code null} where it runs in float32
     */
    public Quantization of(String conv, String input) {
        return floatConvs.contains(conv) ? null : quantization.get(input);
    }
}
