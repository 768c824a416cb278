package org.conv1d4j.spark;

import java.io.Serializable;

/**
 * What {@link PartitionScorer} does with each partition, decided on the driver.
 *
 * @param inputCol the input column's name (for messages)
 * @param inputIndex its position in the row
 * @param channels the network's {@code C}
 * @param batchSize at most this many rows are stacked into one call
 * @param handleInvalid what happens to a row that cannot be scored
 * @param flatten whether the output is one {@code array<float>} instead of an array of arrays
 */
record ScoreSpec(String inputCol, int inputIndex, int channels, int batchSize, HandleInvalid handleInvalid,
        boolean flatten) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One sample of a batch's output.
     *
     * @param batch the network's output, {@code N} samples of {@code d1 x d2} floats
     * @param n which sample
     * @param d1 the output's second dimension ({@code C_out} in NCW, {@code OW} in NWC)
     * @param d2 its third
     * @return {@code float[d1 * d2]} when flattened, else {@code float[d1][d2]}
     */
    Object shape(float[] batch, int n, int d1, int d2) {
        if (flatten) {
            float[] flat = new float[d1 * d2];
            System.arraycopy(batch, n * d1 * d2, flat, 0, flat.length);
            return flat;
        }
        return rows(batch, n, d1, d2);
    }

    /**
     * One sample of a batch's output as rows.
     *
     * @param batch {@code N} samples of {@code d1 x d2} floats
     * @param n which sample
     * @param d1 rows
     * @param d2 values per row
     * @return {@code float[d1][d2]}
     */
    static float[][] rows(float[] batch, int n, int d1, int d2) {
        int base = n * d1 * d2;
        float[][] rows = new float[d1][d2];
        for (int i = 0; i < d1; i++) {
            System.arraycopy(batch, base + i * d2, rows[i], 0, d2);
        }
        return rows;
    }
}
