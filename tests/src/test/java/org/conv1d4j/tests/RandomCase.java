package org.conv1d4j.tests;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;

import java.util.Random;

/**
 * A random valid request with data, drawn from a seed so a failure names a reproducible case.
 *
 * @param seed the seed it was drawn from
 * @param spec the spec
 * @param batch {@code N}
 * @param width {@code W}
 * @param input the input
 * @param weights the weights
 * @param bias the bias or {@code null}
 */
// the arrays are the case's data, handed to ops as they are; no case is compared or hashed
@SuppressWarnings("ArrayRecordComponent")
record RandomCase(long seed, Conv1dSpec spec, int batch, int width, float[] input, float[] weights, float[] bias) {

    /** What to draw. */
    enum Kind { FORWARD, PADDING_MODES, TRANSPOSED }

    static RandomCase draw(Kind kind, long seed) {
        Random r = new Random(seed);
        for (int attempt = 0; ; attempt++) {
            try {
                return tryDraw(kind, seed, r);
            } catch (IllegalArgumentException impossible) {
                if (attempt > 1000) {
                    throw impossible;
                }
            }
        }
    }

    @SuppressWarnings("EnumOrdinal") // a random draw picks enum constants by index on purpose
    private static RandomCase tryDraw(Kind kind, long seed, Random r) {
        int groups = pick(r, 1, 1, 1, 2, 3, 4);
        boolean depthwise = r.nextInt(5) == 0;
        int cin = depthwise ? 1 + r.nextInt(12) : groups * (1 + r.nextInt(5));
        if (depthwise) {
            groups = cin;
        }
        int cout = groups * (1 + r.nextInt(depthwise ? 3 : 5));
        int k = 1 + r.nextInt(r.nextInt(4) == 0 ? 12 : 5);
        int stride = 1 + r.nextInt(r.nextInt(3) == 0 ? 4 : 2);
        int dilation = 1 + r.nextInt(r.nextInt(3) == 0 ? 4 : 2);
        Layout layout = r.nextBoolean() ? Layout.NCW : Layout.NWC;
        Activation act = Activation.values()[r.nextInt(Activation.values().length)];
        Conv1dSpec.Builder b = Conv1dSpec.builder(cin, cout, k).stride(stride).dilation(dilation).groups(groups)
                .layout(layout).bias(r.nextInt(4) != 0);
        if (act.defaultAlpha() != 0) {
            b.activation(act, 0.05 + r.nextDouble() * 2);
        } else {
            b.activation(act);
        }
        int width = r.nextInt(6) == 0 ? 1 + r.nextInt(3) : 1 + r.nextInt(40);
        switch (kind) {
            case FORWARD -> {
                b.weightLayout(r.nextBoolean() ? WeightLayout.OIW : WeightLayout.WIO);
                b.padding(forwardPadding(r));
            }
            case PADDING_MODES -> {
                b.weightLayout(r.nextBoolean() ? WeightLayout.OIW : WeightLayout.WIO);
                b.paddingMode(PaddingMode.values()[1 + r.nextInt(3)]);
                b.padding(forwardPadding(r));
                width = Math.max(width, 2);
            }
            case TRANSPOSED -> {
                b.op(Op.CONV_TRANSPOSE1D);
                boolean keras = groups == 1 && r.nextBoolean();
                b.weightLayout(keras ? WeightLayout.WOI : WeightLayout.IOW);
                b.padding(switch (r.nextInt(3)) {
                    case 0 -> Padding.VALID;
                    case 1 -> Padding.SAME;
                    default -> Padding.explicit(r.nextInt(4), r.nextInt(4));
                });
                b.outputPadding(r.nextInt(Math.max(stride, dilation)));
            }
        }
        Conv1dSpec spec = b.build();
        spec.geometry(width); // impossible draws throw and are redrawn
        int batch = 1 + r.nextInt(3);
        float[] x = uniform(r, batch * cin * width, 1);
        float[] w = uniform(r, spec.weightCount(), (float) (1 / Math.sqrt(spec.reductionLength())));
        float[] bias = spec.hasBias() ? uniform(r, cout, 0.5f) : null;
        return new RandomCase(seed, spec, batch, width, x, w, bias);
    }

    private static Padding forwardPadding(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Padding.VALID;
            case 1 -> Padding.SAME;
            case 2 -> Padding.CAUSAL;
            default -> Padding.explicit(r.nextInt(5), r.nextInt(5));
        };
    }

    private static int pick(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }

    static float[] uniform(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + spec + " N=" + batch + " W=" + width;
    }
}
