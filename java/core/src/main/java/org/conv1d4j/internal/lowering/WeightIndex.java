package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;

/** Where a weight of the caller's flat array sits in the conv: its output channel, by the spec's weight layout. */
public final class WeightIndex {
    private WeightIndex() {
    }

    /**
     * @param spec the op (its weight layout and channel counts)
     * @param i an index into the caller's weights, {@code spec.weightLayout()}
     * @return the output channel of the weight at {@code i}
     */
    public static int outChannel(Conv1dSpec spec, int i) {
        int k = spec.kernelSize();
        int g = spec.groups();
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        return switch (spec.weightLayout()) {
            case OIW -> i / ((cin / g) * k); // (C_out, C_in/G, K)
            case WIO -> i % cout; // (K, C_in/G, C_out)
            case IOW -> { // (C_in, C_out/G, K): input channel c of group c / (C_in/G)
                int row = i / k;
                int c = row / (cout / g);
                yield (c / (cin / g)) * (cout / g) + row % (cout / g);
            }
            case WOI -> (i / cin) % cout; // (K, C_out, C_in), groups 1
        };
    }

    /**
     * @param spec a forward conv with groups 1
     * @param o the output channel
     * @param c the input channel
     * @param k the tap
     * @return the index of that weight in the caller's array, {@code spec.weightLayout()}
     * @throws IllegalStateException for {@code IOW} and {@code WOI}, which hold transposed convs' weights
     */
    public static int of(Conv1dSpec spec, int o, int c, int k) {
        int cin = spec.inChannels();
        return switch (spec.weightLayout()) {
            case OIW -> (o * cin + c) * spec.kernelSize() + k;
            case WIO -> (k * cin + c) * spec.outChannels() + o;
            case IOW, WOI -> throw new IllegalStateException(spec.weightLayout()
                    + " holds a transposed conv's weights");
        };
    }
}
