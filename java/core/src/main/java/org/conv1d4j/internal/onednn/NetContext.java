package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.spec.Geometry;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

/**
 * What one execution of a {@link NetPlan} needs that must not be shared with a concurrent one: a stream, the arena
 * that holds every intermediate tensor, the scratchpad, a memory object per argument (those of the caller's buffers
 * re-aimed on every call) and the argument arrays. Built once, reused for every call: a steady-state call creates no
 * native object and allocates nothing on the Java heap.
 */
final class NetContext {
    /** What a {@link Fill} copies, a block at a time. */
    private static final byte[] ZEROS = new byte[1 << 16];
    private static final long FILL_PART = 1L << 30;

    private final NativeOwner owner = new NativeOwner();
    private final dnnl_stream stream;
    private final AlignedFloats arena;
    private final dnnl_memory[] inputMemories;
    private final dnnl_memory[] outputMemories;
    private final Object[] work;
    private final DirectAddress inputAddress = new DirectAddress();
    private final DirectAddress outputAddress = new DirectAddress();
    private final int inputFloats;
    private final int outputFloats;
    private AlignedFloats stagedInput;
    private AlignedFloats stagedOutput;

    /** A primitive with its prepared arguments. */
    private record Execution(dnnl_primitive primitive, dnnl_exec_arg_t args, int count, String what) {
    }

    /**
     * A zeroing of part of the arena, through views of at most {@link #FILL_PART} bytes (a byte buffer holds at most
     * 2 GiB), from {@link #ZEROS} (a JNI memset would return a new object).
     */
    private static final class Fill {
        private final ByteBuffer[] parts;

        Fill(ByteBuffer[] parts) {
            this.parts = parts;
        }
    }

    /** A single-op conv on views of the arena. */
    private record OpCall(Kernel kernel, FloatBuffer src, FloatBuffer dst, int batch, Geometry g) {
    }

    NetContext(NetPlan plan) {
        try {
            var eng = plan.engine();
            stream = owner.own(new stream(eng)).get();
            arena = new AlignedFloats(plan.arenaBytes() / Float.BYTES + 1, owner);
            AlignedFloats scratch = new AlignedFloats(plan.scratchpadBytes() / Float.BYTES + 1, owner);
            List<dnnl_memory> inputs = new ArrayList<>();
            List<dnnl_memory> outputs = new ArrayList<>();
            List<NetStep> steps = plan.steps();
            work = new Object[steps.size()];
            for (int i = 0; i < work.length; i++) {
                NetStep step = steps.get(i);
                if (step instanceof NetStep.Run r) {
                    int n = r.args().size() + (r.scratchpad() != null ? 1 : 0);
                    dnnl_exec_arg_t args = owner.own(new dnnl_exec_arg_t(n));
                    for (int a = 0; a < r.args().size(); a++) {
                        NetStep.Arg arg = r.args().get(a);
                        dnnl_memory m;
                        if (arg.constant() != null) {
                            m = arg.constant().get();
                        } else if (arg.view().buffer() == NetStep.CALLER_INPUT) {
                            m = callerMemory(arg.view().md(), eng, inputs);
                        } else if (arg.view().buffer() == NetStep.CALLER_OUTPUT) {
                            m = callerMemory(arg.view().md(), eng, outputs);
                        } else {
                            m = owner.own(new memory(arg.view().md(), eng, at(plan.offset(arg.view().buffer())))).get();
                        }
                        args.position(a).arg(arg.id()).memory(m);
                    }
                    if (r.scratchpad() != null) {
                        dnnl_memory m = owner.own(new memory(r.scratchpad(), eng, at(scratch.address(), 0))).get();
                        args.position(n - 1).arg(DNNL_ARG_SCRATCHPAD).memory(m);
                    }
                    args.position(0);
                    work[i] = new Execution(r.primitive(), args, n, r.kind());
                } else if (step instanceof NetStep.Zero z) {
                    int n = (int) ((z.bytes() + FILL_PART - 1) / FILL_PART);
                    ByteBuffer[] parts = new ByteBuffer[n];
                    for (int p = 0; p < n; p++) {
                        long from = (long) p * FILL_PART;
                        parts[p] = arena.bytes(plan.offset(z.buffer()) + from, Math.min(FILL_PART, z.bytes() - from));
                    }
                    work[i] = new Fill(parts);
                } else {
                    NetStep.SingleOp op = (NetStep.SingleOp) step;
                    Geometry g = op.geometry();
                    long srcFloats = (long) op.batch() * op.spec().inChannels() * g.inWidth();
                    long dstFloats = (long) op.batch() * op.spec().outChannels() * g.outWidth();
                    work[i] = new OpCall(op.kernel(), arena.slice(plan.offset(op.src()) / Float.BYTES, srcFloats),
                            arena.slice(plan.offset(op.dst()) / Float.BYTES, dstFloats), op.batch(), g);
                }
            }
            inputMemories = inputs.toArray(new dnnl_memory[0]);
            outputMemories = outputs.toArray(new dnnl_memory[0]);
            inputFloats = (int) (plan.callerInput().get_size() / Float.BYTES);
            outputFloats = (int) (plan.callerOutput().get_size() / Float.BYTES);
        } catch (RuntimeException | Error e) { // a buffer oneDNN cannot allocate: free what was made
            owner.close();
            throw e;
        }
    }

    private dnnl_memory callerMemory(memory.desc d, org.bytedeco.dnnl.engine eng, List<dnnl_memory> list) {
        dnnl_memory m = owner.own(new memory(d, eng, (Pointer) null)).get();
        list.add(m);
        return m;
    }

    private Pointer at(long offset) {
        return at(arena.address(), offset);
    }

    private static Pointer at(long base, long offset) {
        DirectAddress p = new DirectAddress();
        p.aim(base + offset);
        return p;
    }

    /** Runs on native memory at the given addresses, which hold the caller's input and output. */
    void run(long inputAddr, long outputAddr) {
        inputAddress.aim(inputAddr);
        outputAddress.aim(outputAddr);
        for (dnnl_memory m : inputMemories) {
            check(dnnl_memory_set_data_handle(m, inputAddress), "set input");
        }
        for (dnnl_memory m : outputMemories) {
            check(dnnl_memory_set_data_handle(m, outputAddress), "set output");
        }
        for (Object w : work) {
            step(w);
        }
        check(dnnl_stream_wait(stream), "stream wait");
    }

    private void step(Object w) {
        if (w instanceof Execution e) {
            check(dnnl_primitive_execute(e.primitive(), stream, e.count(), e.args()), e.what());
        } else if (w instanceof Fill f) {
            for (ByteBuffer part : f.parts) {
                int bytes = part.capacity();
                for (int at = 0; at < bytes; at += ZEROS.length) {
                    part.put(at, ZEROS, 0, Math.min(ZEROS.length, bytes - at));
                }
            }
        } else {
            check(dnnl_stream_wait(stream), "stream wait");
            OpCall op = (OpCall) w;
            op.kernel().forward(op.src(), op.dst(), op.batch(), op.g());
        }
    }

    /** Runs on Java arrays through native staging buffers owned by this context. */
    void run(float[] input, float[] output) {
        if (stagedInput == null) {
            stagedInput = new AlignedFloats(inputFloats, owner);
            stagedOutput = new AlignedFloats(outputFloats, owner);
        }
        stagedInput.pointer().put(input, 0, inputFloats);
        run(stagedInput.address(), stagedOutput.address());
        stagedOutput.pointer().get(output, 0, outputFloats);
    }

    /**
     * Times each step: the whole network runs once, then each step {@code repeats} times on its own, waiting for it.
     *
     * @return per step, its fastest time in nanoseconds
     */
    long[] time(float[] input, int repeats) {
        float[] output = new float[outputFloats];
        run(input, output);
        long[] best = new long[work.length];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < work.length; i++) {
                long t0 = System.nanoTime();
                step(work[i]);
                check(dnnl_stream_wait(stream), "stream wait");
                best[i] = Math.min(best[i], System.nanoTime() - t0);
            }
        }
        return best;
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    void close() {
        owner.close();
    }
}
