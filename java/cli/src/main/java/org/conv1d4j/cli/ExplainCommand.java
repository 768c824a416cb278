package org.conv1d4j.cli;

import org.conv1d4j.bench.Timer;
import java.util.Locale;
import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.WidthBucket;
import org.conv1d4j.spec.WidthBuckets;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code explain}: for each request, the 2D descriptors it maps to, the kernels oneDNN picks for the 2D and the 1D
 * descriptors, their median times, the reference, and the cross-check: "why 2D?" answered on this CPU.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Show the 2D mapping, oneDNN's kernels, timings and the cross-check for a spec (flags or --case),"
                + " or for the built-in set below when none is given.",
                "The spec flags default as Conv1dSpec.builder does in the API: conv1d, stride 1, dilation 1, groups 1,"
                + " valid, zeros, bias, no activation, layout NCW (PyTorch); weights are random, in OIW (IOW when"
                + " --transposed)."})
final class ExplainCommand implements Callable<Integer> {
    /** The reference runs on a batch slice of at most this many floating-point operations. */
    private static final double REFERENCE_FLOPS = 4e8;

    @Spec
    CommandSpec command;

    @Option(names = "--case", paramLabel = "DIR", description = "Explain a case folder.")
    Path caseDir;

    @Option(names = "--model", paramLabel = "FILE", description = "Explain an ONNX network's plan on --batch and "
            + "--width (random input) in --layout.")
    Path model;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Mixin
    SpecOptions specOptions = new SpecOptions();

    @Option(names = "--budget", defaultValue = "0.3", paramLabel = "SECONDS",
            description = "Time budget per timing (default 0.3 s).")
    double budget;

    private PrintWriter out;
    /** What the ops run with: the defaults in {@code --precision}. */
    private Conv1dOptions options;

    @Override
    public Integer call() throws Exception {
        out = command.commandLine().getOut();
        if (!(budget > 0 && budget <= 60)) {
            throw new IllegalArgumentException("--budget: expected seconds in (0, 60], got " + budget);
        }
        if (model != null) {
            NetExplain.explain(out, model, Layout.valueOf(specOptions.layout.toUpperCase(Locale.ROOT)),
                    specOptions.batch, specOptions.width, precision, budget);
            return 0;
        }
        options = precision.apply(Conv1dOptions.defaults());
        List<Demo> demos;
        if (caseDir != null) {
            Conv1dCase c = CaseReader.read(caseDir);
            demos = List.of(new Demo(c.name(), c.spec(), c.batch(), c.width(), c.input(), c.weights(), c.bias()));
        } else if (specOptions.given()) {
            Conv1dSpec spec = specOptions.spec();
            spec.geometry(specOptions.width);
            demos = List.of(Demo.random("request", spec, specOptions.batch, specOptions.width));
        } else {
            demos = Demo.builtIn();
        }
        DnnlRuntime rt = DnnlRuntime.get();
        out.printf("conv1d4j explain: oneDNN %s, ISA %s, %d threads per call%n", rt.dnnlVersion(), rt.effectiveIsa(),
                rt.threads());
        Precision p = options.precision();
        if (p != Precision.F32) {
            out.printf("precision %s: %s; kernels below%n", p.toString().toLowerCase(Locale.ROOT),
                    Dispatch.how(p, rt.effectiveIsa()));
        }
        if (p == Precision.INT8) {
            Quantization q = options.inputQuantization();
            int levels = Precision.int8WeightLevel(rt.effectiveIsa());
            out.printf(Locale.ROOT, "   input  u8 per tensor: scale %.6g, zero point %d, so [%.6g, %.6g] is kept to "
                    + "scale/2 (%s)%n", q.scale(), q.zeroPoint(), q.dequantize(0), q.dequantize(Quantization.MAX_LEVEL),
                    precision.source());
            out.printf("   weights s8 per output channel, levels -%d..%d (%s)%n", levels, levels, levels == 127
                    ? "VNNI" : "no VNNI: oneDNN adds pairs of u8 x s8 products in 16 bits first, so 7 bits");
        }
        for (Demo d : demos) {
            explain(d);
        }
        return 0;
    }

    private void explain(Demo d) {
        Conv1dSpec spec = d.spec();
        int n = d.batch();
        int w = d.width();
        double flops = spec.flops(n, w);
        int ow = spec.geometry(w).outWidth();
        out.printf("%n== %s: %s%n", d.name(), spec);
        out.printf("   N=%d, W=%d -> OW=%d; %.1f MFLOP per call%n", n, w, ow, flops / 1e6);
        boolean low = options.precision() != Precision.F32;
        String name = options.precision().toString().toLowerCase(Locale.ROOT);
        FloatBuffer in = direct(d.input());
        FloatBuffer dst = direct(new float[n * spec.outChannels() * ow]);
        Conv1dOptions base = options;
        try (Conv1d twoD = Conv1d.create(spec, d.weights(), d.bias(), base);
             Conv1d oneD = Conv1d.create(spec, d.weights(), d.bias(), base.withEngine(Engine.ONEDNN_1D));
             Conv1d reference = Conv1d.create(spec, d.weights(), d.bias(), Engine.REFERENCE)) {
            PlanReport r2 = twoD.describe(n, w).orElseThrow();
            PlanReport r1 = oneD.describe(n, w).orElseThrow();
            print("2D mapping", r2);
            print("1D descriptors", r1);
            bucket(twoD, spec, d, n, w);
            // a discarded pass first, so that the first engine timed does not pay for the JIT's warm-up
            Timer.measure(() -> twoD.forward(in, dst, n, w), budget / 2);
            Timer.Result t2 = Timer.measure(() -> twoD.forward(in, dst, n, w), budget);
            Timer.Result t1 = Timer.measure(() -> oneD.forward(in, dst, n, w), budget);
            out.printf("   timing (median per call, [quartiles]) and GFLOP/s%s:%n", low ? " in " + name : "");
            row("oneDNN 2D", t2, flops, t2);
            row("oneDNN 1D", t1, flops, t2);
            if (low) {
                try (Conv1d f32 = Conv1d.create(spec, d.weights(), d.bias())) {
                    f32.forward(in, dst, n, w);
                    row("oneDNN 2D in f32", Timer.measure(() -> f32.forward(in, dst, n, w), budget), flops, t2);
                }
            }
            if (spec.layout() == Layout.NCW) {
                for (NcwStrategy s : new NcwStrategy[] {NcwStrategy.PLAIN, NcwStrategy.REORDER}) {
                    try (Conv1d v = Conv1d.create(spec, d.weights(), d.bias(), base.withNcwStrategy(s))) {
                        row("2D NCW " + s.name().toLowerCase(Locale.ROOT), Timer.measure(() -> v.forward(in, dst, n, w), budget), flops, t2);
                    }
                }
            }
            int nRef = (int) Math.max(1, Math.min(n, Math.floor(REFERENCE_FLOPS / (flops / n))));
            float[] slice = Arrays.copyOf(d.input(), nRef * spec.inChannels() * w);
            Timer.Result tr = Timer.measure(() -> reference.forward(slice, nRef, w), 0, 1);
            double refFlops = spec.flops(nRef, w);
            out.printf("     %-18s %10.4f ms                      %8.1f GFLOP/s  (N=%d%s)%n", "reference (Java)",
                    tr.medianMs(), tr.gflops(refFlops), nRef, nRef < n ? " slice" : "");
            out.printf("   cross-check on N=%d %s:%n", nRef, switch (options.precision()) {
                case F32 -> String.format("against the reference (bound L_f*(R+1)*u, R=%d)", spec.reductionLength());
                case BF16 -> String.format("against the reference (bf16's bound L_f*((R+1)*u*(1+v)^2 + 2v + v^2), "
                        + "v=2^-8, R=%d)", spec.reductionLength());
                case INT8 -> "against the int8 oracle (the same integers in Java; bound: the float epilogue's rounding)";
            });
            out.printf("     2D: %s%n", CrossCheck.of(twoD, d.weights(), d.bias()).check(twoD, slice, nRef, w));
            out.printf("     1D: %s%n", CrossCheck.of(oneD, d.weights(), d.bias()).check(oneD, slice, nRef, w));
            if (low) {
                float[] exact = reference.forward(slice, nRef, w);
                out.printf("   %s against float32 (the reference, same N=%d): %s%n", name, nRef,
                        Float32Error.of(exact, twoD.forward(slice, nRef, w)));
            }
            out.printf("   %s%n", verdict(r2, r1, t2, t1));
        }
    }

    /** Where the width runs with the default width buckets ({@link WidthBuckets#defaults()}, opt-in). */
    private void bucket(Conv1d exact, Conv1dSpec spec, Demo d, int n, int w) {
        try (Conv1d bucketed = Conv1d.create(spec, d.weights(), d.bias(),
                exact.options().withWidthBuckets(WidthBuckets.defaults()))) {
            WidthBucket b = bucketed.bucket(n, w);
            if (b.gemm()) {
                out.printf("   width buckets (%s): W=%d runs in place on %s (NCW strategy %s): no primitive,"
                        + " nothing wasted%n", WidthBuckets.defaults(), w, bucketed.describe(n, w)
                        .map(PlanReport::implementation).orElse("oneDNN's sgemm"),
                        bucketed.options().ncwStrategy());
                return;
            }
            if (b.sequence()) {
                boolean strip = b.primitiveOutWidth() > b.firstWindow() + b.tailWindow();
                out.printf("   width buckets (%s): the batch of %d runs as one sequence of %d columns on windows"
                        + " of %d and %d output columns (the input read in place, %s); %d computed and dropped"
                        + " (%.1f %%)%n", WidthBuckets.defaults(), n, b.primitiveWidth(), b.firstWindow(),
                        b.tailWindow(), strip ? "the output written in place, the columns next to each sample"
                        + " boundary recomputed on a strip of " + (b.primitiveOutWidth() - b.firstWindow()
                        - b.tailWindow()) : "each sample's output copied out", b.wastedColumns(),
                        100.0 * b.wastedColumns() / b.primitiveOutWidth());
                return;
            }
            if (b.inWindows()) {
                out.printf("   width buckets (%s): W=%d runs in place on windows of %d and %d output columns"
                        + " (per sample); %d recomputed (%.1f %%)%n", WidthBuckets.defaults(), w, b.firstWindow(),
                        b.tailWindow(), b.wastedColumns(), 100.0 * b.wastedColumns() / b.primitiveOutWidth());
                return;
            }
            if (!b.bucketed()) {
                out.printf("   width buckets (%s): W=%d keeps its exact primitive%n", WidthBuckets.defaults(), w);
                return;
            }
            out.printf("   width buckets (%s): W=%d runs on the bucket of %d %s columns -> %d output columns;"
                    + " %d wasted (%.1f %%)%n", WidthBuckets.defaults(), w, b.primitiveWidth(),
                    spec.op() == Op.CONV1D ? "padded input" : "input", b.primitiveOutWidth(), b.wastedColumns(),
                    100.0 * b.wastedColumns() / b.primitiveOutWidth());
        }
    }

    /**
     * 2D against 1D in plain words: which kernels ran and which was faster on this CPU and shape. Within 5 % the
     * two are called even: the timings' own spread is about that.
     */
    private static String verdict(PlanReport r2, PlanReport r1, Timer.Result t2, Timer.Result t1) {
        String kernels = r2.implementation().equals(r1.implementation()) ? "2D and 1D run the same kernel ("
                + r2.implementation() + ")" : "2D runs " + r2.implementation() + ", 1D runs " + r1.implementation();
        double speedup = t1.medianMs() / t2.medianMs();
        String faster;
        if (speedup >= 1.05) {
            faster = String.format("2D was %.2fx as fast as 1D here", speedup);
        } else if (speedup <= 1 / 1.05) {
            faster = String.format("1D was faster here: %.2fx as fast as 2D on this CPU and shape", 1 / speedup);
        } else {
            faster = String.format("2D and 1D were even here (%.2fx)", speedup);
        }
        return "2D vs 1D: " + kernels + "; " + faster;
    }

    private void print(String title, PlanReport r) {
        out.printf("   %s: %s, impl %s%n", title, r.primitive(), r.implementation());
        String converted = switch (options.precision()) {
            case F32 -> " (reordered per call)";
            case BF16 -> " (converted to bf16 per call)";
            case INT8 -> " (quantized to u8 per call)";
        };
        out.printf("     src     %-32s caller %s%s%n", r.src(), r.userSrc(), r.reordersInput() ? converted : "");
        out.printf("     weights %-32s caller %s (reordered once)%n", r.weights(), r.userWeights());
        out.printf("     dst     %-32s caller %s%s%n", r.dst(), r.userDst(), r.reordersOutput() ? " (reordered per call)" : "");
        out.printf("     strides %s dilates %s padding_l %s padding_r %s scratchpad %d B%n", Arrays.toString(r.strides()),
                Arrays.toString(r.dilates()), Arrays.toString(r.paddingL()), Arrays.toString(r.paddingR()),
                r.scratchpadBytes());
    }

    private void row(String name, Timer.Result t, double flops, Timer.Result base) {
        out.printf("     %-18s %10.4f ms [%.4f, %.4f] %8.1f GFLOP/s  %.2fx of 2D%n", name, t.medianMs(), t.q1Ms(), t.q3Ms(),
                t.gflops(flops), base.medianMs() / t.medianMs());
    }

    private static FloatBuffer direct(float[] a) {
        return DirectBuffers.allocate(a.length).put(0, a);
    }
}
