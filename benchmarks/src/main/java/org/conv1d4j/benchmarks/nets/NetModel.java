package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * One benchmarked network: its generator, the seed of its weights, the batch and width it is timed on, and a small
 * width for the slow reference engine. The ONNX bytes are generated in Java on each call of {@link #onnx()} (nothing
 * large is kept in git).
 *
 * @param name a short label
 * @param generator seed to ONNX bytes
 * @param channels {@code C} of the input
 * @param batch {@code N} timed
 * @param width {@code W} timed
 * @param smokeWidth a width the reference engine runs in a second or so
 * @param what where the network comes from and what differs from it
 */
public record NetModel(String name, LongFunction<byte[]> generator, int channels, int batch, int width,
        int smokeWidth, String what) {
    /** The seed of every model's weights and inputs. */
    public static final long SEED = 12;

    /** @return the networks, in the order of the tables */
    public static List<NetModel> all() {
        return List.of(
                new NetModel("tcn", Tcn::generate, Tcn.CHANNELS, 1, 4096, 64,
                        "TCN, 8 residual blocks, C 256, K 3, dilations 1..128, causal (Pad+Conv and Conv+Slice)"),
                new NetModel("quartznet", QuartzNet::generate, QuartzNet.FEATURES, 8, 1000, 24,
                        "QuartzNet 5x5 encoder, 64 mel -> 256..512 -> 1024, separable K 33..87, BN, ReLU, residuals"),
                new NetModel("wav2vec-n1", Wav2Vec2Encoder::generate, 1, 1, 16000, 400,
                        "wav2vec 2.0 feature encoder, 7 convs of 512, GELU; BN for the first layer's GroupNorm"),
                new NetModel("wav2vec-n8", Wav2Vec2Encoder::generate, 1, 8, 16000, 400,
                        "wav2vec 2.0 feature encoder as wav2vec-n1, batch 8"),
                new NetModel("tasnet", ConvTasNet::generate, ConvTasNet.ENCODER, 1, 4000, 40,
                        "Conv-TasNet separator, B 128, H 512, P 3, 8 x 3 blocks, PReLU; BN for gLN"),
                new NetModel("textcnn", TextCnn::generate, TextCnn.EMBEDDING, 64, 100, 12,
                        "text-CNN trunk, 300-d vectors, K 3/4/5 x 100, ReLU, GlobalMaxPool, Concat"));
    }

    /**
     * @param name a name from {@link #all()}
     * @return that model
     * @throws IllegalArgumentException when there is none
     */
    public static NetModel named(String name) {
        return all().stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("model: no network named '" + name + "' (have "
                        + all().stream().map(NetModel::name).toList() + ")"));
    }

    /** @return the model's ONNX bytes, the same for every call */
    public byte[] onnx() {
        return generator.apply(SEED);
    }

    /**
     * A seeded input in {@code [-1, 1)}; the element order is the caller's layout (the values are i.i.d., so one
     * array serves both layouts, but the same array is not the same tensor in both).
     *
     * @param n {@code N}
     * @param w {@code W}
     * @return {@code N * C * W} floats
     */
    public float[] input(int n, int w) {
        return uniform(n, w, SEED + 1);
    }

    /**
     * Calibration samples for int8: other draws of the input's distribution (another seed), never the input itself.
     *
     * @param n how many samples
     * @param w their width
     * @return {@code N * C * W} floats, NCW
     */
    public float[] calibration(int n, int w) {
        return uniform(n, w, SEED + 2);
    }

    private float[] uniform(int n, int w, long seed) {
        Random r = new Random(seed);
        float[] a = new float[Math.multiplyExact(Math.multiplyExact(n, channels), w)];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /**
     * @param onnx a model's bytes
     * @return its network as conv1d4j-onnx imports it
     */
    public static NetGraph graph(byte[] onnx) {
        try (Conv1dNet net = Conv1dNet.load(onnx, new NetOptions(Engine.REFERENCE, Layout.NCW))) {
            return net.graph();
        }
    }

    /**
     * Floating-point operations of the network's convolutions for one call (a multiply and an add per product) that
     * reach the output: the outputs a {@code Slice} right after a conv drops (a TCN's "chomp") are not counted, so
     * that contenders that skip them are not charged for them. Pointwise ops, norms, adds and pooling are not counted.
     *
     * @param graph the network
     * @param n {@code N}
     * @param w {@code W}
     * @return the FLOPs
     */
    public static double convFlops(NetGraph graph, int n, int w) {
        Map<String, Integer> widths = graph.widths(n, w);
        Map<String, Integer> readers = new HashMap<>();
        for (NetNode node : graph.nodes()) {
            for (String t : node.inputs()) {
                readers.merge(t, 1, Integer::sum);
            }
        }
        double flops = 0;
        for (NetNode node : graph.nodes()) {
            if (node instanceof ConvNode c) {
                int in = widths.get(c.input());
                int out = widths.get(c.output());
                int kept = out;
                for (NetNode next : graph.nodes()) {
                    if (next instanceof SliceNode s && s.input().equals(c.output()) && readers.get(c.output()) == 1) {
                        kept = widths.get(s.output());
                    }
                }
                flops += c.specFor(in).flops(n, in) * kept / out;
            }
        }
        return flops;
    }
}
