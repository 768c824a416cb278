package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.internal.lowering.Mapping;
import org.conv1d4j.internal.net.Fusion;
import org.conv1d4j.internal.net.Layer;
import org.conv1d4j.internal.net.PostOp;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.NetPlanReport;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.internal.net.Int8Setup;
import org.conv1d4j.spec.WidthBuckets;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

/**
 * Runs a network as a chain of oneDNN primitives: the graph is fused once ({@link Fusion}), then planned per (N, W)
 * ({@link NetPlan}, cached) and run on a context per concurrent call ({@link NetContext}). A graph with shape
 * arithmetic ({@link NetGraph#symbolic()}) is resolved for each (N, W) it is planned for, and fused once per set of
 * values its arithmetic takes. With width buckets, a call runs on the plan of its bucket width where the output's
 * first columns come out the same ({@link BucketedWidths}), through a zero-tailed copy of the input and a cropped
 * copy of the output. Thread-safe.
 */
public final class NetEngine implements AutoCloseable {
    private static final int PLANS = 8;
    /** With width buckets: the plans of a stream's buckets (a [W, 2W] stream of the default rule runs on about 7). */
    private static final int BUCKETED_PLANS = 16;
    /** The fusions kept of a graph with shape arithmetic, one per set of values it took. */
    private static final int FUSIONS = 16;

    private final NetGraph graph;
    private final Layout layout;
    private final Mapping mapping;
    private final int threads;
    private final Precision precision;
    private final Int8Setup int8;
    private final engine cpu;
    /** The fused graph, or {@code null} for a graph with shape arithmetic, fused per resolved (N, W). */
    private final Fused fused;
    /** A graph with shape arithmetic: its fusions by the values the arithmetic took, most recently used last. */
    private final Map<List<NetNode>, Fused> fusedByValues = new LinkedHashMap<>(16, 0.75f, true);
    private final NetWeights weights;
    private final ThreadCount threadCount;
    private final NetPlanCache plans;
    private final BucketedWidths bucketed;
    /** The staging of bucketed calls, one per concurrent call. */
    private final IdlePool<Staging> stagingPool = new IdlePool<>(Staging::new, Staging::close);

    private NetEngine(NetGraph graph, Engine engine, Layout layout, int threads, Precision precision,
                      Int8Setup int8, WidthBuckets buckets) {
        this.threadCount = new ThreadCount(threads); // may reject before anything native exists
        this.precision = precision;
        this.int8 = int8;
        this.graph = graph;
        this.layout = layout;
        this.mapping = Mapping.of(engine);
        this.threads = threads;
        DnnlRuntime runtime = DnnlRuntime.get();
        EmulationWarning.warnOnce(precision, runtime.effectiveIsa());
        this.cpu = runtime.engine();
        this.fused = graph.symbolic() ? null : Fused.of(graph);
        this.weights = new NetWeights(cpu, mapping,
                precision == Precision.INT8 ? runtime.effectiveIsa() : null);
        this.plans = new NetPlanCache(buckets.isExact() ? PLANS : BUCKETED_PLANS, this::plan);
        this.bucketed = buckets.isExact() ? null : new BucketedWidths(graph, buckets);
    }

    /**
     * Creates the engine for {@code Conv1dNet}, which has checked every argument; no one else may call it.
     *
     * @param graph the network
     * @param engine {@link Engine#ONEDNN_2D} or {@link Engine#ONEDNN_1D}
     * @param layout the caller's layout
     * @param threads threads per call, 0 for OpenMP's default
     * @param precision what the primitives compute and keep intermediate tensors in
     * @param int8 int8: the tensors' quantization and the convs that stay float32; else {@link Int8Setup#NONE}
     * @param buckets the width buckets, {@link WidthBuckets#exact()} for a plan per width
     * @return the engine
     * @throws IllegalCallerException when called from outside the library
     */
    public static NetEngine create(NetGraph graph, Engine engine, Layout layout, int threads, Precision precision,
                                   Int8Setup int8, WidthBuckets buckets) {
        LibraryOnly.requireLibraryCaller();
        return new NetEngine(graph, engine, layout, threads, precision, int8, buckets);
    }

    /**
     * A graph's fused layers.
     *
     * @param layers the layers ({@link Fusion})
     * @param lastReader for each tensor, the index of the last layer that reads it
     */
    private record Fused(List<Layer> layers, Map<String, Integer> lastReader) {
        static Fused of(NetGraph graph) {
            List<Layer> layers = Fusion.of(graph);
            Map<String, Integer> lastReader = new HashMap<>();
            for (int i = 0; i < layers.size(); i++) {
                for (String t : reads(layers.get(i))) {
                    lastReader.put(t, i);
                }
            }
            lastReader.put(graph.outputName(), Integer.MAX_VALUE);
            return new Fused(layers, Map.copyOf(lastReader));
        }
    }

    /**
     * The fusion of the graph resolved for one (N, W). A graph with shape arithmetic is fused again only for values
     * it has not taken lately (most widths give the same pads): BatchNorm folds into weights, which costs a pass over
     * them.
     */
    private synchronized Fused fused(NetGraph resolved) {
        if (fused != null) {
            return fused;
        }
        List<NetNode> values = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            if (graph.nodes().get(i) != resolved.nodes().get(i)) { // a node whose shape arithmetic was evaluated
                values.add(resolved.nodes().get(i));
            }
        }
        Fused f = fusedByValues.get(values);
        if (f == null) {
            f = Fused.of(resolved);
            fusedByValues.put(List.copyOf(values), f);
            if (fusedByValues.size() > FUSIONS) {
                fusedByValues.remove(fusedByValues.keySet().iterator().next());
            }
        }
        return f;
    }

    /** @return the tensors a layer reads: its input and the residuals it adds */
    static List<String> reads(Layer layer) {
        if (layer instanceof Layer.Conv c) {
            List<String> r = new ArrayList<>();
            r.add(c.conv().input());
            for (PostOp op : c.postOps()) {
                if (op instanceof PostOp.Residual res) {
                    r.add(res.other());
                }
            }
            return r;
        }
        return ((Layer.Single) layer).node().inputs();
    }

    private NetPlan plan(long key) {
        threadCount.apply();
        int batch = (int) (key >>> 32);
        int width = (int) key;
        try {
            NetGraph resolved = graph.resolve(batch, width);
            Fused f = fused(resolved);
            return new NetPlan(new NetPlan.Inputs(cpu, mapping, resolved, layout, batch, width, threads, precision,
                    int8, f.lastReader(), weights), f.layers());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // dnnl::error: no implementation, or a buffer it cannot allocate
            throw new IllegalArgumentException("shape: oneDNN cannot run this network on batch " + batch + ", width "
                    + width + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Runs on direct buffers whose sizes the caller checked; reads from and writes at their positions.
     *
     * @param input {@code N * C * W} floats in the caller's layout
     * @param output the output's floats
     * @param batch {@code N}
     * @param width {@code W}
     * @param inputFloats the input's floats
     * @param outputFloats the output's floats
     * @throws IllegalArgumentException when the buffers overlap
     */
    public void forward(FloatBuffer input, FloatBuffer output, int batch, int width, int inputFloats,
                        int outputFloats) {
        long in = DirectAddress.of(input) + (long) input.position() * Float.BYTES;
        long out = DirectAddress.of(output) + (long) output.position() * Float.BYTES;
        if (in < out + (long) outputFloats * Float.BYTES && out < in + (long) inputFloats * Float.BYTES) {
            throw new IllegalArgumentException("output: overlaps the input; use separate buffers");
        }
        if (!ranOnBucket(input, null, output, null, batch, width)) {
            run(batch, width, in, out);
        }
    }

    private void run(int batch, int width, long in, long out) {
        NetPlanCache.Entry e = plans.acquire(NetPlanCache.key(batch, width));
        NetContext c = null;
        try {
            c = plans.take(e);
            threadCount.apply();
            c.run(in, out);
        } finally {
            plans.release(e, c);
        }
    }

    /** Runs the call on its bucket's plan where {@link BucketedWidths} says so; returns whether it did. */
    private boolean ranOnBucket(FloatBuffer input, float[] inputArray, FloatBuffer output, float[] outputArray,
                                int batch, int width) {
        if (bucketed == null) {
            return false;
        }
        Staging call = stagingPool.take();
        try {
            if (!bucketed.lookup(batch, width, call.dims)) {
                return false;
            }
            forwardWide(input, inputArray, output, outputArray, batch, width, call);
            return true;
        } finally {
            stagingPool.give(call);
        }
    }

    /**
     * Runs a call of width {@code W} on the plan of its bucket {@code W'}: the input copied into a buffer of
     * {@code W'} columns whose tail is zero, the output's first {@code OW(W)} columns copied out. Reads the buffers
     * from their positions, or the arrays from 0; {@code staging} holds the widths {@link BucketedWidths} gave.
     */
    private void forwardWide(FloatBuffer input, float[] inputArray, FloatBuffer output, float[] outputArray,
                             int batch, int width, Staging staging) {
        int bucket = staging.dims[0];
        int outWidth = staging.dims[1];
        int outBucket = staging.dims[2];
        int c = graph.inputChannels();
        int oc = graph.outputChannels();
        FloatBuffer in = staging.in.fit((long) batch * c * bucket).view();
        FloatBuffer out = staging.out.fit((long) batch * oc * outBucket).view();
        int from = input == null ? 0 : input.position();
        if (layout == Layout.NCW) {
            for (int row = 0; row < batch * c; row++) {
                CallerFloats.copyIn(input, inputArray, from + row * width, in, row * bucket, width);
                CallerFloats.zero(in, row * bucket + width, bucket - width);
            }
        } else {
            for (int n = 0; n < batch; n++) {
                CallerFloats.copyIn(input, inputArray, from + n * width * c, in, n * bucket * c, width * c);
                CallerFloats.zero(in, (n * bucket + width) * c, (bucket - width) * c);
            }
        }
        run(batch, bucket, staging.in.address(), staging.out.address());
        int to = output == null ? 0 : output.position();
        if (layout == Layout.NCW) {
            for (int row = 0; row < batch * oc; row++) {
                CallerFloats.copyOut(out, row * outBucket, output, outputArray, to + row * outWidth, outWidth);
            }
        } else {
            for (int n = 0; n < batch; n++) {
                CallerFloats.copyOut(out, n * outBucket * oc, output, outputArray, to + n * outWidth * oc,
                        outWidth * oc);
            }
        }
    }

    /** One bucketed call's input and output copies and its widths {@code {W', OW(W), OW(W')}}. */
    private static final class Staging {
        final GrowingFloats in = new GrowingFloats();
        final GrowingFloats out = new GrowingFloats();
        final int[] dims = new int[3];

        void close() {
            in.close();
            out.close();
        }
    }

    /**
     * Runs on arrays whose sizes the caller checked.
     *
     * @param input {@code N * C * W} floats in the caller's layout
     * @param output the output's floats
     * @param batch {@code N}
     * @param width {@code W}
     */
    public void forward(float[] input, float[] output, int batch, int width) {
        if (ranOnBucket(null, input, null, output, batch, width)) {
            return;
        }
        NetPlanCache.Entry e = plans.acquire(NetPlanCache.key(batch, width));
        NetContext c = null;
        try {
            c = plans.take(e);
            threadCount.apply();
            c.run(input, output);
        } finally {
            plans.release(e, c);
        }
    }

    /**
     * @param batch {@code N}
     * @param width {@code W}
     * @return the input width of the plan a call of (N, W) runs on: its bucket, or {@code W}
     */
    public int plannedWidth(int batch, int width) {
        int[] dims = new int[3];
        return bucketed != null && bucketed.lookup(batch, width, dims) ? dims[0] : width;
    }

    /**
     * The plan for (N, W), each step timed when {@code input} is given.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @param input an input to time the steps on, or {@code null} for no timing
     * @param repeats how many times each step is timed (the fastest counts)
     * @return the report
     */
    public NetPlanReport report(int batch, int width, float[] input, int repeats) {
        NetPlanCache.Entry e = plans.acquire(NetPlanCache.key(batch, width));
        NetContext c = null;
        try {
            long[] nanos = null;
            if (input != null) {
                c = plans.take(e);
                threadCount.apply();
                nanos = c.time(input, repeats);
            }
            return report(e.plan(), nanos);
        } finally {
            plans.release(e, c);
        }
    }

    private static NetPlanReport report(NetPlan plan, long[] nanos) {
        List<NetPlanReport.Step> steps = new ArrayList<>();
        List<NetStep> all = plan.steps();
        for (int i = 0; i < all.size(); i++) {
            long t = nanos == null ? 0 : nanos[i];
            NetStep s = all.get(i);
            if (s instanceof NetStep.Run r) {
                String written = "";
                for (NetStep.Arg a : r.args()) {
                    if (a.view() != null && (a.id() == DNNL_ARG_DST || a.id() == DNNL_ARG_TO)) {
                        written = Descriptors.describe(a.view().md());
                    }
                }
                steps.add(new NetPlanReport.Step(r.kind(), r.nodes(), r.detail(), written, r.impl(), t));
            } else if (s instanceof NetStep.Zero z) {
                steps.add(new NetPlanReport.Step("zero", List.of(), z.bytes() + " bytes", "", "", t));
            } else {
                NetStep.SingleOp op = (NetStep.SingleOp) s;
                steps.add(new NetPlanReport.Step("single-op conv", op.nodes(), op.spec().toString(), "", "", t));
            }
        }
        return new NetPlanReport(plan.batch(), plan.width(), steps, plan.arenaBytes(), plan.tensorBytes(),
                plan.scratchpadBytes());
    }

    /** Frees the plans and weights; the caller guarantees no call is in progress. */
    @Override
    public void close() {
        plans.close();
        weights.close();
        stagingPool.close();
    }
}
