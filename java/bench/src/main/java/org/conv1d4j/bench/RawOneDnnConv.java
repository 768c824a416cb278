package org.conv1d4j.bench;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.nativeconfig.NativeOwner;

import java.nio.FloatBuffer;
/**
 * The floor: oneDNN called directly through JavaCPP the way its convolution example does it, with the same 2D
 * mapping (src {@code (N, C, 1, W)} in the user's {@code nhwc} or {@code nchw}, weights reordered once into the
 * primitive's {@code any} choice), built once over two direct buffers and executed with a prebuilt argument map.
 * No argument checks, no caches, no locks: what a hand-written caller pays, to which conv1d4j's per-call cost is
 * compared. Forward conv with zero padding only.
 */
public final class RawOneDnnConv implements AutoCloseable {
    private final NativeOwner natives = new NativeOwner();
    private final primitive conv;
    private final stream executionStream;
    private final IntMemoryMap args;

    /**
     * Builds the primitive over {@code src} and {@code dst} (direct, native order, from position 0).
     *
     * @param spec a forward conv with {@code zeros} padding mode
     * @param batch {@code N}
     * @param width {@code W}
     * @param weights OIW
     * @param bias {@code C_out} floats
     * @param src the input, {@code batch * C_in * width} floats in the spec's layout
     * @param dst the output
     */
    public RawOneDnnConv(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias, FloatBuffer src,
                         FloatBuffer dst) {
        engine eng = DnnlRuntime.get().engine();
        Geometry g = spec.geometry(width);
        int groups = spec.groups();
        long oc = spec.outChannels();
        long icg = spec.inChannels() / groups;
        memory.format_tag act = spec.layout() == Layout.NWC ? memory.format_tag.nhwc : memory.format_tag.nchw;
        var f32 = memory.data_type.f32;
        memory.desc srcMd = own(new memory.desc(new long[] {batch, spec.inChannels(), 1, width}, f32, act));
        memory.desc dstMd = own(new memory.desc(new long[] {batch, oc, 1, g.outWidth()}, f32, act));
        memory.desc userWeightsMd = groups == 1
                ? own(new memory.desc(new long[] {oc, icg, 1, spec.kernelSize()}, f32, memory.format_tag.oihw))
                : own(new memory.desc(new long[] {groups, oc / groups, icg, 1, spec.kernelSize()}, f32,
                        memory.format_tag.goihw));
        memory.desc anyWeightsMd = own(new memory.desc(userWeightsMd.get_dims(), f32, memory.format_tag.any));
        memory.desc biasMd = own(new memory.desc(new long[] {oc}, f32, memory.format_tag.a));
        convolution_forward.primitive_desc pd = own(new convolution_forward.primitive_desc(eng,
                dnnl.prop_kind.forward_inference, dnnl.algorithm.convolution_direct, srcMd, anyWeightsMd, biasMd,
                dstMd, new long[] {1, spec.stride()}, new long[] {0, spec.dilation() - 1}, new long[] {0, g.padLeft()},
                new long[] {0, g.padRight()}));
        executionStream = own(new stream(eng));
        memory userWeights = own(new memory(userWeightsMd, eng, own(new FloatPointer(weights))));
        memory convWeights = own(new memory(own(pd.weights_desc()), eng));
        own(new reorder(userWeights, convWeights)).execute(executionStream, userWeights, convWeights);
        executionStream._wait();
        memory biasMem = own(new memory(biasMd, eng, own(new FloatPointer(bias))));
        conv = own(new convolution_forward(pd));
        args = own(new IntMemoryMap());
        args.put(dnnl.DNNL_ARG_SRC, own(new memory(srcMd, eng, own(new FloatPointer(src)))));
        args.put(dnnl.DNNL_ARG_WEIGHTS, convWeights);
        args.put(dnnl.DNNL_ARG_BIAS, biasMem);
        args.put(dnnl.DNNL_ARG_DST, own(new memory(dstMd, eng, own(new FloatPointer(dst)))));
    }

    private <P extends Pointer> P own(P p) {
        return natives.own(p);
    }

    /** One convolution, waited for. */
    public void run() {
        conv.execute(executionStream, args);
        executionStream._wait();
    }

    @Override
    public void close() {
        natives.close();
    }
}
