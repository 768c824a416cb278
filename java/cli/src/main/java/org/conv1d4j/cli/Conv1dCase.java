package org.conv1d4j.cli;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;

/**
 * One case folder: a request with its data, as described in the README's case format.
 *
 * @param name the folder name
 * @param spec the request
 * @param batch {@code N}
 * @param width {@code W}
 * @param input the input in {@code spec.layout()}
 * @param weights in {@code spec.weightLayout()}
 * @param bias {@code C_out} floats or {@code null}
 * @param expected the expected output, or {@code null} where the folder has none
 */
// the arrays are the case files' contents, handed to ops as they are; no case is compared or hashed
@SuppressWarnings("ArrayRecordComponent")
public record Conv1dCase(String name, Conv1dSpec spec, int batch, int width, float[] input, float[] weights,
                         float[] bias, float[] expected) {

    /** @return the output shape in the spec's layout */
    public int[] outputShape() {
        int ow = spec.geometry(width).outWidth();
        return spec.layout() == Layout.NCW ? new int[] {batch, spec.outChannels(), ow}
                : new int[] {batch, ow, spec.outChannels()};
    }
}
