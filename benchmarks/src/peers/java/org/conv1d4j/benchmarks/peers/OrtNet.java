package org.conv1d4j.benchmarks.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.benchmarks.nets.NetContender;
import org.conv1d4j.bench.OnnxProtos;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.TensorShapeProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;
import org.conv1d4j.spec.Layout;

import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime 1.23.2 (CPU provider) on a network's ONNX bytes: intra-op 2 threads, inter-op 1, all graph
 * optimizations. Two ways to call it: {@code ort} creates the input tensor from the caller's array and copies the
 * result out on every call, as a service does; {@code ort-pinned} runs on a direct input buffer and a preallocated
 * output bound once (the data already where ONNX Runtime reads and writes it: its floor). For {@link Layout#NWC} the
 * model gets a {@code Transpose} before and after it, as an NWC user of ONNX Runtime would add.
 */
final class OrtNet implements NetContender {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final float[] input;
    private final float[] output;
    private final boolean pinned;
    private OnnxTensor x;
    private OnnxTensor y;
    private FloatBuffer pinnedOut;
    private Map<String, OnnxTensor> inputs;
    private Map<String, OnnxValue> outputs;

    OrtNet(byte[] onnx, Layout layout, int channels, float[] input, int batch, int width, boolean pinned)
            throws OrtException {
        byte[] model = layout == Layout.NCW ? onnx : channelsLast(onnx);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, o);
        }
        this.inputName = session.getInputNames().iterator().next();
        this.inputShape = layout == Layout.NCW ? new long[] {batch, channels, width} : new long[] {batch, width, channels};
        this.input = input;
        this.pinned = pinned;
        long[] outShape;
        try (OnnxTensor probe = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
             OrtSession.Result r = session.run(Map.of(inputName, probe))) {
            outShape = ((OnnxTensor) r.get(0)).getInfo().getShape();
        }
        int outLength = Math.toIntExact(outShape[0] * outShape[1] * outShape[2]);
        this.output = new float[outLength];
        if (pinned) {
            x = OnnxTensor.createTensor(env, DirectBuffers.allocate(input.length).put(0, input), inputShape);
            pinnedOut = DirectBuffers.allocate(outLength);
            y = OnnxTensor.createTensor(env, pinnedOut, outShape);
            inputs = Map.of(inputName, x);
            outputs = Map.of(session.getOutputNames().iterator().next(), y);
        }
    }

    @Override
    public void run() {
        try {
            if (pinned) {
                session.run(inputs, outputs).close(); // closing the result leaves pinned outputs open
                return;
            }
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
                 OrtSession.Result r = session.run(Map.of(inputName, t))) {
                ((OnnxTensor) r.get(0)).getFloatBuffer().get(output);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    @Override
    public float[] output() {
        if (pinned) {
            pinnedOut.get(0, output);
        }
        return output;
    }

    @Override
    public void close() {
        try {
            if (pinned) {
                x.close();
                y.close();
            }
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** The model with {@code (N, W, C)} input and output: a {@code Transpose} before and after it. */
    static byte[] channelsLast(byte[] onnx) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(onnx);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
        GraphProto g = m.getGraph();
        ValueInfoProto in = g.getInput(0);
        ValueInfoProto out = g.getOutput(0);
        GraphProto.Builder b = g.toBuilder().clearInput().clearOutput().clearNode();
        b.addInput(swapLastTwo(in, in.getName() + "_nwc"));
        b.addNode(transpose(in.getName() + "_nwc", in.getName()));
        b.addAllNode(g.getNodeList());
        b.addNode(transpose(out.getName(), out.getName() + "_nwc"));
        b.addOutput(swapLastTwo(out, out.getName() + "_nwc"));
        return m.toBuilder().setGraph(b).build().toByteArray();
    }

    private static NodeProto transpose(String from, String to) {
        return NodeProto.newBuilder().setOpType("Transpose").setName(to + ".transpose").addInput(from).addOutput(to)
                .addAttribute(OnnxProtos.ints("perm", 0, 2, 1))
                .build();
    }

    private static ValueInfoProto swapLastTwo(ValueInfoProto v, String name) {
        TensorShapeProto s = v.getType().getTensorType().getShape();
        TensorShapeProto swapped = TensorShapeProto.newBuilder().addDim(s.getDim(0)).addDim(s.getDim(2))
                .addDim(s.getDim(1)).build();
        ValueInfoProto.Builder b = v.toBuilder().setName(name);
        b.getTypeBuilder().getTensorTypeBuilder().setShape(swapped);
        return b.build();
    }
}
