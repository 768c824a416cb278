package org.conv1d4j.internal.reference;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.internal.quant.QuantizedWeights;
import org.conv1d4j.spec.Quantization;

import java.nio.FloatBuffer;

/**
 * The definition of the right answer: plain loops, double accumulation, every feature. Forward conv pads the
 * input explicitly (as {@code F.pad} does) and slides the kernel over it; transposed conv scatters every input
 * into the full output and crops it. Nothing here is tuned for speed.
 *
 * <p>In int8 it computes what the int8 primitive defines, in the same order: the input quantized
 * ({@link Quantization#quantize}), less its zero point; zero padding adds nothing, edge padding pads the levels; the
 * products of levels summed exactly (in double, then wrapped to 32 bits as oneDNN's {@code s32} accumulator); then,
 * in float32, {@code acc * s_x * s_o + bias} and the activation.
 */
public final class ReferenceKernel implements Kernel {
    private final Conv1dSpec spec;
    /** Weights as {@code [C_out][C_in/G][K]} (forward) or {@code [C_in][C_out/G][K]} (transposed). */
    private final double[][][] w;
    private final double[] bias;
    /** int8: the input's quantization and the weights' per-output-channel scales; null in float32. */
    private final Quantization inputQuantization;
    private final float[] weightScales;

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
        return new ReferenceKernel(spec, weights, bias, null, null);
    }

    /**
     * Creates an int8 kernel for {@code Conv1d}, which has checked every argument; no one else may call it.
     *
     * @param spec what to compute
     * @param weights the quantized weights, as the oneDNN engine uses them
     * @param bias {@code C_out} floats or {@code null}
     * @param inputQuantization how the input is quantized
     * @return the kernel
     * @throws IllegalCallerException when called from outside the library's API package
     */
    public static Kernel createInt8(Conv1dSpec spec, QuantizedWeights weights, float[] bias,
                                    Quantization inputQuantization) {
        LibraryOnly.requireLibraryCaller();
        byte[] levels = weights.levels();
        float[] asFloats = new float[levels.length];
        for (int i = 0; i < levels.length; i++) {
            asFloats[i] = levels[i];
        }
        return new ReferenceKernel(spec, asFloats, bias, inputQuantization, weights.scales().clone());
    }

    private ReferenceKernel(Conv1dSpec spec, float[] weights, float[] bias, Quantization inputQuantization,
                            float[] weightScales) {
        this.spec = spec;
        this.w = WeightLayouts.canonical(spec, weights);
        this.bias = new double[spec.outChannels()];
        if (bias != null) {
            for (int o = 0; o < bias.length; o++) {
                this.bias[o] = bias[o];
            }
        }
        this.inputQuantization = inputQuantization;
        this.weightScales = weightScales;
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
        boolean int8 = inputQuantization != null;
        if (int8) {
            quantize(x);
        }
        double[] b = int8 ? new double[bias.length] : bias;
        double[][][] y = spec.op() == Op.CONV1D ? conv(x, g, b) : convTranspose(x, g, b);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < spec.outChannels(); o++) {
                for (int t = 0; t < g.outWidth(); t++) {
                    double z = int8 ? epilogue(y[n][o][t], o) : y[n][o][t];
                    double v = spec.activation().apply(z, spec.alpha());
                    dst[index(spec.layout(), n, o, t, spec.outChannels(), g.outWidth())] = (float) v;
                }
            }
        }
    }

    /** Replaces every input value by its level less the zero point. */
    private void quantize(double[][][] x) {
        for (double[][] sample : x) {
            for (double[] row : sample) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = inputQuantization.quantize((float) row[t]) - inputQuantization.zeroPoint();
                }
            }
        }
    }

    /** The int8 epilogue in float32, in oneDNN's order: {@code (float) acc * s_x * s_o + bias}. */
    private float epilogue(double exactSum, int o) {
        float d = (float) (int) (long) exactSum; // an s32 accumulator wraps
        d *= inputQuantization.scale();
        d *= weightScales[o];
        return d + (float) bias[o];
    }

    private double[][][] conv(double[][][] x, Geometry g, double[] bias) {
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

    private double[][][] convTranspose(double[][][] x, Geometry g, double[] bias) {
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
