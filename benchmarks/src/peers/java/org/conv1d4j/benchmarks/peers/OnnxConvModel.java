package org.conv1d4j.benchmarks.peers;

import org.conv1d4j.bench.OnnxProtos;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;

/**
 * The ONNX model of one Conv1D: a single {@code Conv} node (opset 17, IR 8) with the weights and bias as
 * initializers, input {@code x} (N, C_in, W), output {@code y}. Written with the classes conv1d4j-onnx generates
 * from its {@code onnx.proto}, the same ones its reader parses.
 */
final class OnnxConvModel {
    private OnnxConvModel() {
    }

    static byte[] encode(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias) {
        return encode(spec, batch, width, weights, bias, false);
    }

    /**
     * The model with a symbolic width: input {@code (N, C_in, "W")}, output {@code (N, C_out, "OW")}, the pads of
     * {@code width} (the same for every width of a stride-1 {@code same} or a {@code valid} conv).
     */
    static byte[] encodeSymbolicWidth(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias) {
        return encode(spec, batch, width, weights, bias, true);
    }

    private static byte[] encode(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias,
                                 boolean symbolic) {
        Geometry g = spec.geometry(width);
        NodeProto node = NodeProto.newBuilder().setName("conv").setOpType("Conv").addInput("x").addInput("w")
                .addInput("b").addOutput("y")
                .addAttribute(OnnxProtos.ints("kernel_shape", spec.kernelSize()))
                .addAttribute(OnnxProtos.ints("strides", spec.stride()))
                .addAttribute(OnnxProtos.ints("pads", g.padLeft(), g.padRight()))
                .addAttribute(OnnxProtos.ints("dilations", spec.dilation()))
                .addAttribute(OnnxProtos.integer("group", spec.groups()))
                .build();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("conv1d").addNode(node)
                .addInitializer(OnnxProtos.floats("w", weights, spec.outChannels(), spec.inChannels() / spec.groups(),
                        spec.kernelSize()))
                .addInitializer(OnnxProtos.floats("b", bias, spec.outChannels()))
                .addInput(OnnxProtos.value("x", batch, spec.inChannels(), symbolic ? "W" : width))
                .addOutput(OnnxProtos.value("y", batch, spec.outChannels(), symbolic ? "OW" : g.outWidth()));
        return OnnxProtos.model(graph);
    }
}
