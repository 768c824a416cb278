package org.conv1d4j.internal.reference;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;

import java.nio.FloatBuffer;

/**
 * The definition of the right answer: plain loops, double accumulation, every feature. Forward conv pads the
 * input explicitly (as {@code F.pad} does) and slides the kernel over it; transposed conv scatters every input
 * into the full output and crops it. Nothing here is tuned for speed.
 */
public final class ReferenceKernel implements Kernel {
    private final Conv1dSpec spec;
    /** Weights as {@code [C_out][C_in/G][K]} (forward) or {@code [C_in][C_out/G][K]} (transposed). */
    private final double[][][] w;
    private final double[] bias;

    /**
     * Creates a kernel for {@code Conv1d}, which has checked every argument; no one else may call it.
     *
     * @param spec what to compute
     * @param weights in {@code spec.weightLayout()}
     * @param bias {@code C_out} floats or {@code null}
     * @return the kernel
     * @throws IllegalCallerException when called from outside the library's API package
     */
    public static Kernel create(Conv1dSpec spec, float[] weights, float[] bias) {
        LibraryOnly.requireLibraryCaller();
        return new ReferenceKernel(spec, weights, bias);
    }

    private ReferenceKernel(Conv1dSpec spec, float[] weights, float[] bias) {
        this.spec = spec;
        this.w = WeightLayouts.canonical(spec, weights);
        this.bias = new double[spec.outChannels()];
        if (bias != null) {
            for (int o = 0; o < bias.length; o++) {
                this.bias[o] = bias[o];
            }
        }
    }

    @Override
    public void forward(FloatBuffer src, FloatBuffer dst, int batch, Geometry g) {
        float[] in = new float[batch * spec.inChannels() * g.inWidth()];
        float[] out = new float[batch * spec.outChannels() * g.outWidth()];
        src.get(src.position(), in);
        forward(in, out, batch, g);
        dst.put(dst.position(), out);
    }

    @Override
    public void forward(float[] src, float[] dst, int batch, Geometry g) {
        double[][][] x = toNcw(src, batch, spec.inChannels(), g.inWidth(), spec.layout());
        double[][][] y = spec.op() == Op.CONV1D ? conv(x, g) : convTranspose(x, g);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < spec.outChannels(); o++) {
                for (int t = 0; t < g.outWidth(); t++) {
                    double v = spec.activation().apply(y[n][o][t], spec.alpha());
                    dst[index(spec.layout(), n, o, t, spec.outChannels(), g.outWidth())] = (float) v;
                }
            }
        }
    }

    private double[][][] conv(double[][][] x, Geometry g) {
        int groupIn = spec.inChannels() / spec.groups();
        int groupOut = spec.outChannels() / spec.groups();
        int s = spec.stride();
        int d = spec.dilation();
        double[][][] y = new double[x.length][spec.outChannels()][g.outWidth()];
        for (int n = 0; n < x.length; n++) {
            double[][] rows = new double[spec.inChannels()][];
            for (int c = 0; c < rows.length; c++) {
                rows[c] = Padder.pad(x[n][c], g.padLeft(), g.padRight(), spec.paddingMode());
            }
            for (int o = 0; o < spec.outChannels(); o++) {
                double[] acc = y[n][o];
                java.util.Arrays.fill(acc, bias[o]);
                int group = o / groupOut;
                for (int i = 0; i < groupIn; i++) {
                    double[] row = rows[group * groupIn + i];
                    for (int k = 0; k < spec.kernelSize(); k++) {
                        double wv = w[o][i][k];
                        for (int t = 0; t < acc.length; t++) {
                            acc[t] += wv * row[t * s + k * d];
                        }
                    }
                }
            }
        }
        return y;
    }

    private double[][][] convTranspose(double[][][] x, Geometry g) {
        int groupIn = spec.inChannels() / spec.groups();
        int groupOut = spec.outChannels() / spec.groups();
        int s = spec.stride();
        int d = spec.dilation();
        int full = (g.inWidth() - 1) * s + g.effectiveKernel();
        double[][][] y = new double[x.length][spec.outChannels()][g.outWidth()];
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < spec.outChannels(); o++) {
                double[] whole = new double[full];
                int group = o / groupOut;
                int og = o % groupOut;
                for (int i = 0; i < groupIn; i++) {
                    int ic = group * groupIn + i;
                    double[] row = x[n][ic];
                    for (int k = 0; k < spec.kernelSize(); k++) {
                        double wv = w[ic][og][k];
                        for (int t = 0; t < row.length; t++) {
                            whole[t * s + k * d] += wv * row[t];
                        }
                    }
                }
                for (int t = 0; t < g.outWidth(); t++) {
                    int p = t + g.padLeft();
                    y[n][o][t] = bias[o] + (p < full ? whole[p] : 0.0);
                }
            }
        }
        return y;
    }

    private static double[][][] toNcw(float[] src, int batch, int channels, int width, Layout layout) {
        double[][][] x = new double[batch][channels][width];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < width; t++) {
                    x[n][c][t] = src[index(layout, n, c, t, channels, width)];
                }
            }
        }
        return x;
    }

    private static int index(Layout layout, int n, int c, int t, int channels, int width) {
        return layout == Layout.NCW ? (n * channels + c) * width + t : (n * width + t) * channels + c;
    }

    @Override
    public void close() {
        // Nothing native to free.
    }
}
