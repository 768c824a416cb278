package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's transposed conv is checked against its definition rather than against itself: it is the adjoint
 * of the forward conv, {@code <conv(x), y> == <x, conv_transpose(y)>} for the matching spec (same kernel, stride,
 * dilation, groups and padding; in/out channels swapped; {@code output_padding} restoring the input width).
 *
 * <p>Tolerance: both sides are float32 outputs of exact sums, so each output carries a relative error of at most
 * {@code u = 2^-24}; the inner products then differ by at most {@code 2u * (sum|conv(x)||y| + sum|x||convT(y)|)}
 * plus the double-precision rounding of the inner products themselves, far smaller.
 */
class AdjointTest {
    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void transposedIsTheAdjointOfForward(long seed) {
        Random r = new Random(seed);
        int groups = 1 + r.nextInt(3);
        int cin = groups * (1 + r.nextInt(4));
        int cout = groups * (1 + r.nextInt(4));
        int k = 1 + r.nextInt(6);
        int s = 1 + r.nextInt(3);
        int d = 1 + r.nextInt(3);
        int left = r.nextInt(4);
        int right = r.nextInt(4);
        int width = 1 + r.nextInt(30);
        int ke = d * (k - 1) + 1;
        if (width + left + right < ke) {
            width = ke;
        }
        Conv1dSpec fwd = Conv1dSpec.builder(cin, cout, k).stride(s).dilation(d).groups(groups)
                .padding(Padding.explicit(left, right)).bias(false).build();
        int ow = fwd.geometry(width).outWidth();
        int rem = (width + left + right - ke) % s;
        Conv1dSpec adj = Conv1dSpec.builder(cout, cin, k).op(Op.CONV_TRANSPOSE1D).stride(s).dilation(d).groups(groups)
                .padding(Padding.explicit(left, right)).outputPadding(rem).bias(false).build();
        int batch = 1 + r.nextInt(2);
        float[] w = RandomCase.uniform(r, fwd.weightCount(), 1); // OIW of fwd == IOW of adj
        float[] x = RandomCase.uniform(r, batch * cin * width, 1);
        float[] y = RandomCase.uniform(r, batch * cout * ow, 1);
        try (Conv1d conv = Conv1d.create(fwd, w, null, Engine.REFERENCE);
             Conv1d convT = Conv1d.create(adj, w, null, Engine.REFERENCE)) {
            float[] cx = conv.forward(x, batch, width);
            float[] ty = convT.forward(y, batch, ow);
            assertTrue(ty.length == x.length, "adjoint widths must match");
            double lhs = 0;
            double lhsAbs = 0;
            for (int i = 0; i < cx.length; i++) {
                lhs += (double) cx[i] * y[i];
                lhsAbs += Math.abs((double) cx[i] * y[i]);
            }
            double rhs = 0;
            double rhsAbs = 0;
            for (int i = 0; i < ty.length; i++) {
                rhs += (double) x[i] * ty[i];
                rhsAbs += Math.abs((double) x[i] * ty[i]);
            }
            double bound = 2 * 0x1p-24 * (lhsAbs + rhsAbs) + 1e-12;
            assertTrue(Math.abs(lhs - rhs) <= bound, "seed " + seed + ": <conv(x),y>=" + lhs + " <x,convT(y)>=" + rhs
                    + " bound " + bound);
        }
    }
}
