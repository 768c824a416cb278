package org.conv1d4j.benchmarks.peers;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * TensorFlow Java 1.1.0 (TF 2.18, oneDNN inside) running the graph Python's {@code tf.nn.conv1d} builds:
 * ExpandDims(1), Conv2D (NHWC, EXPLICIT padding, filter {@code [1, K, C_in/G, C_out]}, grouped by the depth ratio;
 * DepthwiseConv2dNative with EXPLICIT padding aborted the process in TF 2.18), then BiasAdd and Squeeze(1). Intra-op 2 threads, inter-op 1. Channels-last (NWC).
 */
@SuppressWarnings("try") // close() is PeerConv's, which may throw InterruptedException
final class TfConv implements PeerConv {
    private final Graph graph = new Graph();
    private final Session session;
    private final TFloat32 x;
    private final Placeholder<TFloat32> input;
    private final Operand<TFloat32> y;
    private final float[] out;

    TfConv(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias, float[] data) {
        if (spec.layout() != Layout.NWC) {
            throw new IllegalArgumentException("the tf.nn.conv1d graph takes NWC");
        }
        Geometry g = spec.geometry(width);
        int k = spec.kernelSize();
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int icg = cin / spec.groups();
        Ops tf = Ops.create(graph);
        input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, width, cin)));
        Operand<TFloat32> x4 = tf.expandDims(input, tf.constant(1));
        List<Long> strides = List.of(1L, 1L, (long) spec.stride(), 1L);
        List<Long> pads = List.of(0L, 0L, 0L, 0L, (long) g.padLeft(), (long) g.padRight(), 0L, 0L);
        List<Long> dilations = List.of(1L, 1L, (long) spec.dilation(), 1L);
        float[] f = new float[k * icg * cout]; // HWIO: [1, K, C_in/G, C_out]; Conv2D groups by the depth ratio
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < icg; i++) {
                for (int t = 0; t < k; t++) {
                    f[(t * icg + i) * cout + o] = weights[(o * icg + i) * k + t];
                }
            }
        }
        Operand<TFloat32> conv = tf.nn.conv2d(x4, tf.constant(Shape.of(1, k, icg, cout),
                DataBuffers.of(f, true, false)), strides, "EXPLICIT", Conv2d.explicitPaddings(pads),
                Conv2d.dilations(dilations));
        Operand<TFloat32> biased = tf.nn.biasAdd(conv, tf.constant(Shape.of(cout), DataBuffers.of(bias, true, false)));
        y = tf.squeeze(biased, Squeeze.axis(1L));
        session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(2)
                .setInterOpParallelismThreads(1).build());
        x = TFloat32.tensorOf(Shape.of(batch, width, cin), DataBuffers.of(data, true, false));
        out = new float[batch * cout * g.outWidth()];
    }

    @Override
    public void run() {
        try (Result r = session.runner().feed(input, x).fetch(y).run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        }
    }

    @Override
    public float[] output() {
        return out.clone();
    }

    @Override
    public void close() {
        x.close();
        session.close();
        graph.close();
    }
}
