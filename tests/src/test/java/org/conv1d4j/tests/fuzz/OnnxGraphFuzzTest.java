package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.TensorShapeProto;
import org.conv1d4j.onnx.proto.Onnx.TypeProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;

/**
 * Fuzzes the ONNX reader with models that always parse but are wired at random: ops from the supported set and
 * beyond, inputs named after the graph input, initializers, other nodes' outputs, nothing or a name no one writes
 * (dangling inputs, missing initializers, cycles, names written twice), attributes of any type and value,
 * initializers of any dtype and dims with too few or too many bytes. Loading may only throw
 * {@link InvalidInputException}; a model that loads must run on a small input and give the shape it promised.
 */
class OnnxGraphFuzzTest {
    private static final String[] OPS = {"Conv", "ConvTranspose", "BatchNormalization", "Relu", "Add", "Pad", "Slice",
        "Concat", "MaxPool", "AveragePool", "GlobalMaxPool", "GlobalAveragePool", "Constant", "ConstantOfShape",
        "Reshape", "Shape", "Gather", "Sigmoid", "Mul", "Div", "Erf", "Identity", "Dropout", "Clip", "PRelu", "Gelu",
        "Transpose", "Cast", "Unsqueeze", "Squeeze", "Sub", "LeakyRelu", "HardSigmoid", "Softmax"};
    private static final String[] ATTRS = {"kernel_shape", "strides", "pads", "dilations", "group", "axis", "perm",
        "mode", "value", "to", "epsilon", "alpha", "auto_pad", "output_padding", "output_shape", "ceil_mode",
        "count_include_pad", "training_mode", "allowzero", "start", "end", "approximate"};
    private static final String[] STRINGS = {"constant", "reflect", "edge", "wrap", "NOTSET", "SAME_UPPER",
        "SAME_LOWER", "VALID", "none", "tanh", "bogus"};

    @FuzzTest(maxDuration = "")
    void wrongModelsAreRefusedCleanly(FuzzedDataProvider data) {
        int channels = data.consumeInt(1, 6);
        GraphProto.Builder g = GraphProto.newBuilder();
        g.addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 12) : 1)
                        .setShape(shape(data, channels)))));
        int initializers = data.consumeInt(0, 4);
        for (int i = 0; i < initializers; i++) {
            g.addInitializer(tensor(data).setName("i" + i));
        }
        int nodes = data.consumeInt(0, 8);
        for (int i = 0; i < nodes; i++) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(data.pickValue(OPS)).setName("n" + i);
            int inputs = data.consumeInt(0, 5);
            for (int k = 0; k < inputs; k++) {
                n.addInput(name(data));
            }
            n.addOutput(data.consumeInt(0, 5) == 0 ? name(data) : "t" + i);
            if (data.consumeInt(0, 7) == 0) {
                n.addOutput(name(data));
            }
            int attrs = data.consumeInt(0, 3);
            for (int k = 0; k < attrs; k++) {
                n.addAttribute(attribute(data));
            }
            g.addNode(n);
        }
        g.addOutput(ValueInfoProto.newBuilder().setName(data.consumeBoolean() ? "t" + (nodes - 1) : name(data)));
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder()
                .setDomain("").setVersion(data.consumeInt(0, 4) == 0 ? data.consumeInt(1, 25) : 17)).setGraph(g).build();
        int width = data.consumeInt(1, 40);
        Conv1dNet net;
        try {
            net = Conv1dNet.load(model.toByteArray());
        } catch (InvalidInputException expected) {
            return;
        }
        NetRuns.runSmall(net, width);
    }

    private static TensorShapeProto shape(FuzzedDataProvider data, int channels) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        int rank = data.consumeInt(0, 5) == 0 ? data.consumeInt(0, 5) : 3;
        for (int d = 0; d < rank; d++) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d == 1 && data.consumeInt(0, 5) != 0) {
                dim.setDimValue(channels);
            } else if (data.consumeBoolean()) {
                dim.setDimParam(d == 0 ? "N" : "W");
            } else {
                dim.setDimValue(data.consumeLong(-2, 50));
            }
            s.addDim(dim);
        }
        return s.build();
    }

    private static String name(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> "x";
            case 1 -> "i" + data.consumeInt(0, 4);
            case 2 -> "";
            case 3 -> "nope";
            default -> "t" + data.consumeInt(0, 8);
        };
    }

    private static TensorProto.Builder tensor(FuzzedDataProvider data) {
        int type = data.pickValue(new int[] {1, 1, 7, 7, 6, 9, 11, 0});
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(type);
        int rank = data.consumeInt(0, 3);
        long count = 1;
        for (int d = 0; d < rank; d++) {
            long dim = data.consumeInt(0, 7) == 0 ? data.consumeLong(-1, Long.MAX_VALUE) : data.consumeInt(0, 6);
            t.addDims(dim);
            count *= Math.max(dim, 0);
        }
        // count may have overflowed: clamp before the cast, or a negative long can become a huge positive int
        int n = (int) Math.max(0, Math.min(data.consumeBoolean() ? count : data.consumeInt(0, 64), 256));
        if (data.consumeBoolean()) {
            int width = type == 7 || type == 11 ? 8 : type == 9 ? 1 : 4;
            t.setRawData(ByteString.copyFrom(data.consumeBytes(Math.max(0, n * width + data.consumeInt(-1, 1)))));
        } else {
            for (int i = 0; i < n; i++) {
                switch (type) {
                    case 1 -> t.addFloatData(data.consumeRegularFloat(-4, 4));
                    case 7 -> t.addInt64Data(data.consumeLong(-3, 8));
                    case 11 -> t.addDoubleData(data.consumeRegularDouble(-4, 4));
                    default -> t.addInt32Data(data.consumeInt(-3, 8));
                }
            }
        }
        return t;
    }

    private static AttributeProto attribute(FuzzedDataProvider data) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(data.pickValue(ATTRS));
        switch (data.consumeInt(0, 4)) {
            case 0 -> a.setType(AttributeProto.AttributeType.INT).setI(data.consumeLong(-3, 9));
            case 1 -> a.setType(AttributeProto.AttributeType.FLOAT).setF(data.consumeFloat());
            case 2 -> a.setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(data.pickValue(STRINGS)));
            case 3 -> a.setType(AttributeProto.AttributeType.TENSOR).setT(tensor(data));
            default -> {
                a.setType(AttributeProto.AttributeType.INTS);
                int n = data.consumeInt(0, 6);
                for (int i = 0; i < n; i++) {
                    a.addInts(data.consumeInt(0, 5) == 0 ? data.consumeLong() : data.consumeLong(-3, 9));
                }
            }
        }
        return a.build();
    }
}
