package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.lowering.Mapping;
import org.conv1d4j.internal.net.Layer;
import org.conv1d4j.nativeconfig.Alignment;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.internal.net.Int8Setup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A network planned for one (N, W): the steps ({@link NetPlanner}), and where each buffer lies in a context's arena.
 * Buffers whose lifetimes (first to last step that uses them) do not overlap share bytes: placed largest first, each
 * at the lowest 64-byte-aligned offset clear of every placed buffer it lives alongside. One scratchpad, as large as
 * the largest step's, serves every step of a context.
 */
final class NetPlan {
    /**
     * What a plan is built from.
     *
     * @param cpu the engine
     * @param mapping 2D or 1D descriptors
     * @param graph the network
     * @param layout the caller's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @param threads threads per call (0 = OpenMP's default)
     * @param precision what the primitives compute and keep intermediate tensors in
     * @param lastReader for each tensor, the index of the last layer that reads it
     * @param weights the convs' weights
     */
    record Inputs(engine cpu, Mapping mapping, NetGraph graph, Layout layout, int batch, int width, int threads,
                  Precision precision, Int8Setup int8, Map<String, Integer> lastReader,
                  NetWeights weights) {
    }

    private final NativeOwner owner = new NativeOwner();
    private final engine cpu;
    private final int batch;
    private final int width;
    private final List<NetStep> steps;
    private final long[] offsets;
    private final long arenaBytes;
    private final long tensorBytes;
    private final long scratchpadBytes;
    private final memory.desc callerInput;
    private final memory.desc callerOutput;
    private final List<Kernel> kernels;
    private final List<NativeOwner> attempts;

    NetPlan(Inputs in, List<Layer> layers) {
        NetPlanner planner = new NetPlanner(in, owner);
        try {
            planner.plan(layers);
        } catch (RuntimeException | Error e) { // a shape oneDNN refuses: free what was made
            planner.kernels().forEach(Kernel::close);
            planner.attempts().forEach(NativeOwner::close);
            owner.close();
            throw e;
        }
        this.cpu = in.cpu();
        this.batch = in.batch();
        this.width = in.width();
        this.steps = List.copyOf(planner.steps());
        this.kernels = List.copyOf(planner.kernels());
        this.attempts = List.copyOf(planner.attempts());
        this.callerInput = planner.callerInput();
        this.callerOutput = planner.callerOutput();
        this.offsets = new long[planner.sizes().size()];
        this.arenaBytes = place(planner.sizes(), planner.lifetimes(), offsets);
        this.tensorBytes = planner.sizes().stream().mapToLong(NetPlan::align).sum();
        long scratch = 0;
        for (NetStep s : steps) {
            if (s instanceof NetStep.Run r && r.scratchpad() != null) {
                scratch = Math.max(scratch, r.scratchpad().get_size());
            }
        }
        this.scratchpadBytes = scratch;
    }

    /** Greedy placement, largest first; @return the arena's size in bytes. */
    private static long place(List<Long> sizes, List<int[]> lives, long[] offsets) {
        Integer[] order = new Integer[sizes.size() - NetStep.FIRST_ARENA];
        for (int i = 0; i < order.length; i++) {
            order[i] = i + NetStep.FIRST_ARENA;
        }
        Arrays.sort(order, (a, b) -> Long.compare(sizes.get(b), sizes.get(a)));
        List<Integer> placed = new ArrayList<>();
        long end = 0;
        for (int b : order) {
            long size = align(sizes.get(b));
            long at = 0;
            boolean moved = true;
            while (moved) {
                moved = false;
                for (int p : placed) {
                    boolean together = lives.get(p)[0] <= lives.get(b)[1] && lives.get(b)[0] <= lives.get(p)[1];
                    long pEnd = offsets[p] + align(sizes.get(p));
                    if (together && offsets[p] < at + size && at < pEnd) {
                        at = pEnd;
                        moved = true;
                    }
                }
            }
            offsets[b] = at;
            placed.add(b);
            end = Math.max(end, at + size);
        }
        return end;
    }

    private static long align(long bytes) {
        return (bytes + Alignment.BYTES - 1) / Alignment.BYTES * Alignment.BYTES;
    }

    engine engine() {
        return cpu;
    }

    int batch() {
        return batch;
    }

    int width() {
        return width;
    }

    List<NetStep> steps() {
        return steps;
    }

    /** @return the byte offset of an arena buffer */
    long offset(int buffer) {
        return offsets[buffer];
    }

    long arenaBytes() {
        return arenaBytes;
    }

    /** @return the bytes the arena's buffers would take without sharing */
    long tensorBytes() {
        return tensorBytes;
    }

    long scratchpadBytes() {
        return scratchpadBytes;
    }

    memory.desc callerInput() {
        return callerInput;
    }

    memory.desc callerOutput() {
        return callerOutput;
    }

    /** Frees the primitives, descriptors and single-op kernels; only once no context uses them. */
    void close() {
        kernels.forEach(Kernel::close);
        attempts.forEach(NativeOwner::close);
        owner.close();
    }
}
