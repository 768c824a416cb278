package org.conv1d4j.bench;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.nativeconfig.NativeOwner;


/**
 * The machine's attainable f32 peak as oneDNN sees it: a 2048 x 2048 x 2048 matmul on every OpenMP thread. Every
 * conv figure is also given as a fraction of this.
 */
public final class MatmulPeak implements AutoCloseable {
    /** The matrix size. */
    public static final int SIZE = 2048;
    private final NativeOwner natives = new NativeOwner();
    private final matmul prim;
    private final stream executionStream;
    private final IntMemoryMap args;

    /** Allocates the matrices (filled with small values) and builds the primitive. */
    public MatmulPeak() {
        engine eng = DnnlRuntime.get().engine();
        long[] dims = {SIZE, SIZE};
        memory.desc md = own(new memory.desc(dims, memory.data_type.f32, memory.format_tag.ab));
        memory.desc any = own(new memory.desc(dims, memory.data_type.f32, memory.format_tag.any));
        matmul.primitive_desc pd = own(new matmul.primitive_desc(eng, md, any, md));
        executionStream = own(new stream(eng));
        float[] values = new float[SIZE * SIZE];
        java.util.Arrays.fill(values, 0.001f);
        memory a = own(new memory(md, eng, own(new FloatPointer(values))));
        memory b = own(new memory(own(pd.weights_desc()), eng));
        memory userB = own(new memory(md, eng, own(new FloatPointer(values))));
        own(new reorder(userB, b)).execute(executionStream, userB, b);
        executionStream._wait();
        memory c = own(new memory(md, eng));
        prim = own(new matmul(pd));
        args = own(new IntMemoryMap());
        args.put(dnnl.DNNL_ARG_SRC, a);
        args.put(dnnl.DNNL_ARG_WEIGHTS, b);
        args.put(dnnl.DNNL_ARG_DST, c);
    }

    private <P extends Pointer> P own(P p) {
        return natives.own(p);
    }

    /** @return floating-point operations of one {@link #run()} */
    public static double flops() {
        return 2.0 * SIZE * SIZE * SIZE;
    }

    /** One matmul, waited for. */
    public void run() {
        prim.execute(executionStream, args);
        executionStream._wait();
    }

    @Override
    public void close() {
        natives.close();
    }
}
