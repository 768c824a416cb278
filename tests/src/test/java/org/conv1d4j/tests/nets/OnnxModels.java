package org.conv1d4j.tests.nets;

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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes small ONNX models with the classes generated from conv1d4j-onnx's {@code onnx.proto}. */
final class OnnxModels {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private int opset = 17;
    private int count;

    /** A model whose input {@code x} is {@code (N, C, W)} with symbolic N and W. */
    static OnnxModels withInput(String name, int channels) {
        OnnxModels m = new OnnxModels();
        m.graph.addInput(value(name, "N", channels, "W"));
        return m;
    }

    static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                b.setDimValue(i);
            } else {
                b.setDimParam((String) d);
            }
            shape.addDim(b);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    OnnxModels opset(int v) {
        this.opset = v;
        return this;
    }

    GraphProto.Builder graph() {
        return graph;
    }

    /** Adds a float initializer in raw_data, as PyTorch writes them. */
    OnnxModels floats(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(1).addAllDims(box(dims))
                .setRawData(ByteString.copyFrom(b.array())));
        return this;
    }

    /** Adds an int64 initializer in int64_data. */
    OnnxModels longs(String name, long[] data, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addAllDims(box(dims));
        for (long v : data) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return this;
    }

    /** Adds a node; attributes as name/value pairs (Integer, Float, String, long[], float[]). */
    NodeProto.Builder node(String op, String[] inputs, String output, Object... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + count++).setDomain("");
        for (String in : inputs) {
            n.addInput(in);
        }
        n.addOutput(output);
        for (int i = 0; i < attrs.length; i += 2) {
            n.addAttribute(attr((String) attrs[i], attrs[i + 1]));
        }
        graph.addNode(n);
        return graph.getNodeBuilder(graph.getNodeCount() - 1);
    }

    static AttributeProto attr(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i);
        } else if (v instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] l) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long x : l) {
                a.addInts(x);
            }
        } else if (v instanceof TensorProto t) {
            a.setType(AttributeProto.AttributeType.TENSOR).setT(t);
        } else {
            throw new IllegalArgumentException("attr: " + v);
        }
        return a.build();
    }

    byte[] bytes(String output) {
        if (graph.getOutputCount() == 0) {
            graph.addOutput(value(output, "N", "C", "W"));
        }
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build().toByteArray();
    }

    private static java.util.List<Long> box(long[] dims) {
        return java.util.Arrays.stream(dims).boxed().toList();
    }
}
