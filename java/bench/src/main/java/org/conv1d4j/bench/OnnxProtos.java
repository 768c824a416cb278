package org.conv1d4j.bench;

import com.google.protobuf.ByteString;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.TensorShapeProto;
import org.conv1d4j.onnx.proto.Onnx.TypeProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pieces of an ONNX model the project writes, with the classes conv1d4j-onnx generates from its
 * {@code onnx.proto}: float and int64 tensors, attributes, the type of a float tensor, and the model around a graph
 * (IR 8, opset 17 as PyTorch exports it, or another). The one writer of the benchmarks' models (the generated
 * networks, ONNX Runtime's single-conv, channels-last and QDQ variants) and of the tests' models.
 */
public final class OnnxProtos {
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private OnnxProtos() {
    }

    /**
     * @param name the tensor's name
     * @param values its values, row-major
     * @param dims its dims
     * @return a float tensor with the values as raw little-endian bytes
     */
    public static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /**
     * @param name the tensor's name
     * @param values its values
     * @return a 1-D int64 tensor
     */
    public static TensorProto longs(String name, long... values) {
        return longs(name, values, values.length);
    }

    /**
     * @param name the tensor's name
     * @param values its values, row-major, in {@code int64_data}
     * @param dims its dims
     * @return an int64 tensor
     */
    public static TensorProto longs(String name, long[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    /**
     * @param name the attribute's name
     * @param values its values
     * @return an {@code INTS} attribute
     */
    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /**
     * @param name the attribute's name
     * @param value its value
     * @return an {@code INT} attribute
     */
    public static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /**
     * @param name the tensor's name
     * @param dims each a {@link Number} (a fixed dim) or a {@link String} (a symbolic one)
     * @return a float tensor's name and type
     */
    public static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String param) {
                dim.setDimParam(param);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
    }

    /**
     * @param graph the graph, complete
     * @return the model's bytes: IR 8, the default domain at opset 17
     */
    public static byte[] model(GraphProto.Builder graph) {
        return model(graph, 17);
    }

    /**
     * @param graph the graph, complete
     * @param opset the default domain's opset
     * @return the model's bytes: IR 8
     */
    public static byte[] model(GraphProto.Builder graph, int opset) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build().toByteArray();
    }
}
