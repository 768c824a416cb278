package org.conv1d4j.internal.reference;

import org.conv1d4j.spec.Conv1dSpec;

/** Reads the caller's weights into the reference engine's canonical {@code [a][b][K]} arrays. */
final class WeightLayouts {
    private WeightLayouts() {
    }

    /**
     * @return {@code [C_out][C_in/G][K]} for a forward conv, {@code [C_in][C_out/G][K]} for a transposed one
     */
    static double[][][] canonical(Conv1dSpec spec, float[] wt) {
        int k = spec.kernelSize();
        int g = spec.groups();
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        return switch (spec.weightLayout()) {
            case OIW -> read(cout, cin / g, k, (a, b, t) -> (a * (cin / g) + b) * k + t, wt);
            case WIO -> read(cout, cin / g, k, (a, b, t) -> (t * (cin / g) + b) * cout + a, wt);
            case IOW -> read(cin, cout / g, k, (a, b, t) -> (a * (cout / g) + b) * k + t, wt);
            // (K, C_out, C_in), groups 1: element (i, o, t) at (t * C_out + o) * C_in + i
            case WOI -> read(cin, cout, k, (a, b, t) -> (t * cout + b) * cin + a, wt);
        };
    }

    private interface Index {
        int at(int a, int b, int t);
    }

    private static double[][][] read(int na, int nb, int k, Index index, float[] wt) {
        double[][][] w = new double[na][nb][k];
        for (int a = 0; a < na; a++) {
            for (int b = 0; b < nb; b++) {
                for (int t = 0; t < k; t++) {
                    w[a][b][t] = wt[index.at(a, b, t)];
                }
            }
        }
        return w;
    }
}
