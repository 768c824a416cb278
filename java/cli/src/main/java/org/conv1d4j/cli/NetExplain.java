package org.conv1d4j.cli;

import org.conv1d4j.bench.Timer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.NetOptions;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.NetPlanReport;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code explain --model}: the plan after fusion (which nodes became which oneDNN primitive, post-ops, the layout of
 * every tensor written, the reorders left, the kernel oneDNN picked and the time of each primitive), the whole
 * network's time on each engine, the same convs run as separate ops, and the cross-check.
 */
final class NetExplain {
    private NetExplain() {
    }

    static void explain(PrintWriter out, Path model, Layout layout, int batch, int width, PrecisionOptions precision,
                        double budget) throws IOException {
        DnnlRuntime rt = DnnlRuntime.get();
        out.printf("conv1d4j explain --model: oneDNN %s, ISA %s, %d threads per call%n", rt.dnnlVersion(),
                rt.effectiveIsa(), rt.threads());
        NetOptions options = precision.apply(NetOptions.defaults().withLayout(layout));
        Precision p = options.precision();
        if (p != Precision.F32) {
            out.printf("precision %s: %s%n", p.toString().toLowerCase(Locale.ROOT), Dispatch.how(p, rt.effectiveIsa()));
        }
        if (p == Precision.INT8) {
            int levels = Precision.int8WeightLevel(rt.effectiveIsa());
            out.printf("   every conv's input u8 per tensor, calibrated %s in %s; weights s8 per output channel, "
                    + "levels -%d..%d%n", options.calibration(), precision.fileName(), levels, levels);
        }
        try (Conv1dNet net = Conv1dNet.load(model, options);
                Conv1dNet oneD = Conv1dNet.load(model, options.withEngine(Engine.ONEDNN_1D))) {
            int c = net.graph().inputChannels();
            int[] s = net.outputShape(batch, width);
            float[] x = gaussian(batch * c * width);
            out.printf("%n== %s: %s%n", model.getFileName(), net);
            out.printf("   input (N, C, W) = (%d, %d, %d) in %s -> output %s%n", batch, c, width, layout,
                    java.util.Arrays.toString(s));
            NetPlanReport plan = net.profile(x, batch, width, 5);
            out.printf("   the plan after fusion (%d primitives for %d nodes; time of each, fastest of 5):%n",
                    plan.steps().size(), net.graph().nodes().size());
            double total = 0;
            for (int i = 0; i < plan.steps().size(); i++) {
                NetPlanReport.Step st = plan.steps().get(i);
                total += st.nanos() / 1e6;
                out.printf("   %3d %-27s %9.4f ms  %s%n", i, st.primitive(), st.nanos() / 1e6, st.impl());
                if (!st.nodes().isEmpty()) {
                    out.printf("         nodes    %s%n", String.join(", ", st.nodes()));
                }
                if (!st.detail().isEmpty()) {
                    out.printf("         %-8s %s%n", st.primitive().equals("reorder") ? "converts" : "post-ops",
                            st.detail());
                }
                if (!st.layout().isEmpty() && !st.primitive().equals("reorder")) {
                    out.printf("         writes   %s%n", st.layout());
                }
            }
            out.printf("   %d reorders (the caller's layout in and out, Pad and Slice copies); intermediate tensors %.2f MB"
                    + " in %.2f MB of shared buffers; scratchpad %.2f MB; primitives' times sum to %.4f ms%n",
                    plan.reorders(), plan.tensorBytes() / 1e6, plan.arenaBytes() / 1e6, plan.scratchpadBytes() / 1e6,
                    total);
            FloatBuffer in = DirectBuffers.allocate(x.length).put(0, x);
            FloatBuffer y = DirectBuffers.allocate(s[0] * s[1] * s[2]);
            Timer.measure(() -> net.forward(in, y, batch, width), budget / 2);
            Timer.Result t2 = Timer.measure(() -> net.forward(in, y, batch, width), budget);
            Timer.Result t1 = Timer.measure(() -> oneD.forward(in, y, batch, width), budget);
            double convs = separateConvs(net, layout, batch, width, budget);
            Timer.Result f32 = null;
            if (p != Precision.F32) {
                try (Conv1dNet plain = Conv1dNet.load(model, NetOptions.defaults().withLayout(layout))) {
                    plain.forward(in, y, batch, width);
                    f32 = Timer.measure(() -> plain.forward(in, y, batch, width), budget);
                }
            }
            out.printf("   timing (median per call, [quartiles]):%n");
            out.printf("     %-34s %10.4f ms [%.4f, %.4f]%n", "network, oneDNN 2D", t2.medianMs(), t2.q1Ms(), t2.q3Ms());
            out.printf("     %-34s %10.4f ms [%.4f, %.4f]%n", "network, oneDNN 1D", t1.medianMs(), t1.q1Ms(), t1.q3Ms());
            out.printf("     %-34s %10.4f ms (the convs alone, each a Conv1d on %s buffers: %.2fx the network)%n",
                    "the same convs as separate ops", convs, layout, convs / t2.medianMs());
            if (f32 != null) {
                out.printf("     %-34s %10.4f ms [%.4f, %.4f] (%.2fx the %s network's time)%n", "network, oneDNN 2D, f32",
                        f32.medianMs(), f32.q1Ms(), f32.q3Ms(), f32.medianMs() / t2.medianMs(),
                        p.toString().toLowerCase(Locale.ROOT));
            }
            float[] got = net.forward(x, batch, width);
            out.printf("   cross-check %s: %s%n", p == Precision.INT8 ? "against the int8 oracle" : "against the reference",
                    NetCrossCheck.compare(net, x, got, batch, width));
            if (p != Precision.F32) {
                try (Conv1dNet reference = Conv1dNet.load(model, NetOptions.defaults().withLayout(layout)
                        .withEngine(Engine.REFERENCE))) {
                    out.printf("   %s against float32 (the reference) on this input: %s%n",
                            p.toString().toLowerCase(Locale.ROOT), Float32Error.of(reference.forward(x, batch, width),
                                    got));
                }
            }
            if (p == Precision.INT8) {
                NetCheck.printLayers(out, NetCrossCheck.quantizationError(net, x, batch, width));
            }
        }
    }

    /**
     * The sum of each conv's median time as a single op from the caller's layout, in the network's precision (int8:
     * quantizing its input as the network does), BatchNorm and the rest left out.
     */
    private static double separateConvs(Conv1dNet net, Layout layout, int batch, int width, double budget) {
        Map<String, Integer> widths = net.graph().widths(batch, width);
        double sum = 0;
        for (NetNode node : net.graph().nodes()) {
            if (node instanceof ConvNode c) {
                int w = widths.get(c.input());
                Conv1dSpec spec = c.specFor(w).toBuilder().layout(layout).weightLayout(c.spec().weightLayout()).build();
                int ow = spec.geometry(w).outWidth();
                FloatBuffer in = DirectBuffers.allocate(batch * spec.inChannels() * w);
                FloatBuffer out = DirectBuffers.allocate(batch * spec.outChannels() * ow);
                Conv1dOptions options = net.options().precision() == Precision.INT8
                        ? Conv1dOptions.defaults().withInt8(net.quantization().get(c.input()))
                        : Conv1dOptions.defaults().withPrecision(net.options().precision());
                try (Conv1d op = Conv1d.create(spec, c.weights(), c.bias(), options)) {
                    op.forward(in, out, batch, w);
                    sum += Timer.measure(() -> op.forward(in, out, batch, w), budget / 4).medianMs();
                }
            }
        }
        return sum;
    }

    private static float[] gaussian(int n) {
        Random r = new Random(0);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
