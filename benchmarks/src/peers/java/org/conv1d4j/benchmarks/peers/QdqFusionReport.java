package org.conv1d4j.benchmarks.peers;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.conv1d4j.benchmarks.nets.Int8Calibrations;
import org.conv1d4j.benchmarks.nets.NetModel;
import org.conv1d4j.benchmarks.nets.QdqModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What ONNX Runtime makes of each benchmarked model's {@link QdqModel} copy: the copy's node types, then the node
 * types of the graph ONNX Runtime runs, saved with {@code SessionOptions.setOptimizedModelFilePath} with the options
 * of {@code ort-int8} (all optimizations, 2 intra-op threads), and, for comparison, of the float model.
 *
 * <p>Usage: {@code QdqFusionReport [--models tcn,...] [--width W]} (the timed width by default: the calibration is
 * made at the width {@code NetRounds} uses).
 */
public final class QdqFusionReport {
    private QdqFusionReport() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when ONNX Runtime cannot load a model or the optimized model cannot be read
     */
    public static void main(String[] args) throws Exception {
        List<NetModel> models = NetModel.all();
        Integer width = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--models" -> models = Arrays.stream(args[i + 1].split(",")).map(NetModel::named).toList();
                case "--width" -> width = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("usage: QdqFusionReport [--models a,b] [--width W]");
            }
        }
        for (NetModel m : models) {
            byte[] onnx = m.onnx();
            QdqModel qdq = Int8Calibrations.qdq(m, onnx, width != null ? width : m.width());
            System.out.println(m.name() + ": " + qdq.summary());
            System.out.println("  float model:              " + QdqModel.opCounts(onnx));
            System.out.println("  ORT runs (float):         " + QdqModel.opCounts(optimized(onnx)));
            System.out.println("  QDQ copy:                 " + QdqModel.opCounts(qdq.bytes()));
            System.out.println("  ORT runs (QDQ copy):      " + QdqModel.opCounts(optimized(qdq.bytes())));
        }
    }

    /** The graph ONNX Runtime runs for {@code onnx}, as it saves it. */
    private static byte[] optimized(byte[] onnx) throws OrtException, IOException {
        Path file = Files.createTempFile("conv1d4j-ort-optimized", ".onnx");
        try {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(2);
                o.setInterOpNumThreads(1);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                o.setOptimizedModelFilePath(file.toString());
                OrtEnvironment.getEnvironment().createSession(onnx, o).close();
            }
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
