package org.conv1d4j.tests.nets;

import com.google.protobuf.ByteString;
import org.conv1d4j.bench.OnnxProtos;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;

/** Writes small ONNX models for the tests: a graph builder over {@link OnnxProtos}, the project's one ONNX writer. */
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

    /** A float tensor's name and type; each dim an Integer (fixed) or a String (symbolic). */
    static ValueInfoProto value(String name, Object... dims) {
        return OnnxProtos.value(name, dims);
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
        graph.addInitializer(OnnxProtos.floats(name, data, dims));
        return this;
    }

    /** Adds an int64 initializer in int64_data. */
    OnnxModels longs(String name, long[] data, long... dims) {
        graph.addInitializer(OnnxProtos.longs(name, data, dims));
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
        if (v instanceof Integer i) {
            return OnnxProtos.integer(name, i);
        } else if (v instanceof long[] l) {
            return OnnxProtos.ints(name, l);
        }
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
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
        return OnnxProtos.model(graph, opset);
    }
}
