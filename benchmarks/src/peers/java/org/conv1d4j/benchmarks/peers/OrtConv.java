package org.conv1d4j.benchmarks.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Layout;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime 1.23.2 (CPU provider, MLAS): a one-node model, intra-op 2 threads, inter-op 1, all graph
 * optimizations, direct input buffer and a pinned preallocated output (64-byte aligned, as ours). ONNX Conv is channels-first (NCW).
 */
@SuppressWarnings("try") // close() is PeerConv's, which may throw InterruptedException
final class OrtConv implements PeerConv {
    private final OrtSession session;
    private final OnnxTensor x;
    private final OnnxTensor y;
    private final FloatBuffer out;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxValue> outputs;

    OrtConv(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias, float[] input) throws Exception {
        if (spec.layout() != Layout.NCW) {
            throw new IllegalArgumentException("ONNX Conv takes NCW");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(OnnxConvModel.encode(spec, batch, width, weights, bias), o);
        }
        int ow = spec.geometry(width).outWidth();
        out = DirectBuffers.allocate(batch * spec.outChannels() * ow);
        x = OnnxTensor.createTensor(env, DirectBuffers.allocate(input.length).put(0, input), new long[] {batch, spec.inChannels(), width});
        y = OnnxTensor.createTensor(env, out, new long[] {batch, spec.outChannels(), ow});
        inputs = Map.of("x", x);
        outputs = Map.of("y", y);
    }

    @Override
    public void run() throws Exception {
        session.run(inputs, outputs).close(); // closing the result leaves pinned outputs open
    }

    @Override
    public float[] output() {
        float[] a = new float[out.capacity()];
        out.get(0, a);
        return a;
    }

    @Override
    public void close() throws Exception {
        x.close();
        y.close();
        session.close();
    }
}
