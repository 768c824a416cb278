package org.conv1d4j.benchmarks.peers;

import com.google.protobuf.ByteString;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.TensorShapeProto;
import org.conv1d4j.onnx.proto.Onnx.TypeProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ONNX model of one Conv1D: a single {@code Conv} node (opset 17, IR 8) with the weights and bias as
 * initializers, input {@code x} (N, C_in, W), output {@code y}. Written with the classes conv1d4j-onnx generates
 * from its {@code onnx.proto}, the same ones its reader parses.
 */
final class OnnxConvModel {
    private static final int FLOAT = 1;

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
                .addAttribute(ints("kernel_shape", spec.kernelSize()))
                .addAttribute(ints("strides", spec.stride()))
                .addAttribute(ints("pads", g.padLeft(), g.padRight()))
                .addAttribute(ints("dilations", spec.dilation()))
                .addAttribute(AttributeProto.newBuilder().setName("group").setType(AttributeProto.AttributeType.INT)
                        .setI(spec.groups()))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("conv1d").addNode(node)
                .addInitializer(tensor("w", weights, spec.outChannels(), spec.inChannels() / spec.groups(),
                        spec.kernelSize()))
                .addInitializer(tensor("b", bias, spec.outChannels()))
                .addInput(symbolic ? value("x", batch, spec.inChannels(), "W")
                        : value("x", batch, spec.inChannels(), width))
                .addOutput(symbolic ? value("y", batch, spec.outChannels(), "OW")
                        : value("y", batch, spec.outChannels(), g.outWidth()))
                .build();
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build().toByteArray();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static TensorProto tensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ValueInfoProto value(String name, long batch, long channels, String width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(batch))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(width)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
    }
}
