package org.conv1d4j.tests.nets;

import com.google.protobuf.ByteString;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.spec.Engine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models that are malformed, hostile or outside the supported set: each is refused at load time with one
 * {@link InvalidInputException} whose message says which node (and op) and why; nothing else escapes.
 */
class OnnxBadModelTest {
    private static final float[] W = new float[4 * 4 * 3];

    private static OnnxModels conv() {
        OnnxModels m = OnnxModels.withInput("x", 4).floats("w", W, 4, 4, 3);
        m.node("Conv", new String[] {"x", "w"}, "y", "kernel_shape", new long[] {3});
        return m;
    }

    private static String refused(byte[] model, String... parts) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Conv1dNet.load(model));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
        }
        return e.getMessage();
    }

    @Test
    void aValidConvLoads() {
        try (Conv1dNet net = Conv1dNet.load(conv().bytes("y"))) {
            assertArrayEquals(new int[] {2, 4, 5}, net.outputShape(2, 7));
        }
    }

    @Test
    void truncatedAndGarbageBytes() throws IOException {
        byte[] good = Files.readAllBytes(NetCases.file("tcn", "model.onnx"));
        for (int cut : new int[] {1, 7, 100, good.length / 2, good.length - 1}) {
            refused(Arrays.copyOf(good, cut), "model: ");
        }
        refused(new byte[0], "model: ");
        refused("not a model at all".getBytes(java.nio.charset.StandardCharsets.UTF_8), "model: ");
    }

    @Test
    void unsupportedOpsAreNamed() {
        OnnxModels m = conv();
        m.node("LSTM", new String[] {"y"}, "z");
        refused(m.bytes("z"), "node 'LSTM_1' (LSTM)", "not supported");
        OnnxModels mm = conv().floats("h", new float[4 * 4], 4, 4);
        mm.node("MatMul", new String[] {"y", "h"}, "z");
        refused(mm.bytes("z"), "(MatMul)", "not supported");
    }

    @Test
    void wrongDtypes() {
        OnnxModels m = OnnxModels.withInput("x", 4).longs("w", new long[48], 4, 4, 3);
        m.node("Conv", new String[] {"x", "w"}, "y");
        refused(m.bytes("y"), "(Conv)", "float32");
        OnnxModels d = OnnxModels.withInput("x", 4);
        d.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(11).addDims(1)
                .addDoubleData(1));
        d.node("Conv", new String[] {"x", "w"}, "y");
        refused(d.bytes("y"), "initializer 'w'", "DOUBLE");
        OnnxModels in = conv();
        in.graph().setInput(0, in.graph().getInput(0).toBuilder().setType(in.graph().getInput(0).getType()
                .toBuilder().setTensorType(in.graph().getInput(0).getType().getTensorType().toBuilder()
                        .setElemType(11))));
        refused(in.bytes("y"), "input 'x'", "DOUBLE");
    }

    @Test
    void cyclesAreRefused() {
        OnnxModels m = OnnxModels.withInput("x", 4);
        m.node("Relu", new String[] {"b"}, "a");
        m.node("Relu", new String[] {"a"}, "b");
        m.node("Add", new String[] {"x", "b"}, "y");
        refused(m.bytes("y"), "cycle");
        OnnxModels self = OnnxModels.withInput("x", 4);
        self.node("Add", new String[] {"x", "y"}, "y");
        refused(self.bytes("y"), "(Add)", "cycle");
    }

    @Test
    void danglingInputsAndMissingInitializers() {
        OnnxModels m = OnnxModels.withInput("x", 4);
        m.node("Conv", new String[] {"x", "missing_weight"}, "y");
        refused(m.bytes("y"), "node 'Conv_0' (Conv)", "'missing_weight'", "not written by any node");
        OnnxModels out = conv();
        refused(out.bytes("nowhere"), "output 'nowhere'");
    }

    @Test
    void ranksOtherThanThreeAreRefused() {
        OnnxModels m = new OnnxModels();
        m.graph().addInput(OnnxModels.value("x", "N", 4, 1, "W"));
        m.node("Relu", new String[] {"x"}, "y");
        refused(m.bytes("y"), "input 'x'", "rank 4");
        OnnxModels w2 = OnnxModels.withInput("x", 4).floats("w", new float[16 * 9], 4, 4, 3, 3);
        w2.node("Conv", new String[] {"x", "w"}, "y");
        refused(w2.bytes("y"), "(Conv)", "3-D");
        OnnxModels sym = new OnnxModels();
        sym.graph().addInput(OnnxModels.value("x", "N", "C", "W"));
        sym.node("Relu", new String[] {"x"}, "y");
        refused(sym.bytes("y"), "symbolic channel count");
    }

    @Test
    void tensorsWhoseBytesDoNotMatchTheirDims() {
        OnnxModels m = OnnxModels.withInput("x", 4);
        m.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(4).addDims(4)
                .addDims(3).setRawData(ByteString.copyFrom(new byte[10])));
        m.node("Conv", new String[] {"x", "w"}, "y");
        refused(m.bytes("y"), "initializer 'w'", "raw_data holds 10 bytes");
        OnnxModels both = OnnxModels.withInput("x", 4);
        both.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(1)
                .setRawData(ByteString.copyFrom(new byte[4])).addFloatData(1));
        both.node("Conv", new String[] {"x", "w"}, "y");
        refused(both.bytes("y"), "both raw_data and float_data");
        OnnxModels huge = OnnxModels.withInput("x", 4);
        huge.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 40)
                .addDims(1L << 40).setRawData(ByteString.copyFrom(new byte[4])));
        huge.node("Conv", new String[] {"x", "w"}, "y");
        refused(huge.bytes("y"), "initializer 'w'", "more than 2^31-9");
        for (int type : new int[] {1, 7, 6}) {
            // dims of 2^30 elements with 4 bytes of data: refused before anything of that size is allocated
            OnnxModels big = OnnxModels.withInput("x", 4);
            big.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(type).addDims(1L << 30)
                    .setRawData(ByteString.copyFrom(new byte[4])));
            big.node("Conv", new String[] {"x", "w"}, "y");
            refused(big.bytes("y"), "initializer 'w'", "raw_data holds 4 bytes");
        }
        OnnxModels ext = OnnxModels.withInput("x", 4);
        ext.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(1)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL));
        ext.node("Conv", new String[] {"x", "w"}, "y");
        refused(ext.bytes("y"), "external data");
    }

    @Test
    void hugeConstantsAreRefusedWithoutAllocating() {
        OnnxModels m = conv().longs("shape", new long[] {1L << 20, 1L << 20}, 2);
        m.node("ConstantOfShape", new String[] {"shape"}, "big");
        m.node("Pad", new String[] {"y", "big"}, "z");
        refused(m.bytes("z"), "(ConstantOfShape)", "too large");
    }

    @Test
    void attributesOutsideTheSupportedSet() {
        OnnxModels m = OnnxModels.withInput("x", 4).floats("w", W, 4, 4, 3);
        m.node("Conv", new String[] {"x", "w"}, "y", "strides", new long[] {1, 1});
        refused(m.bytes("y"), "(Conv)", "'strides'", "1-D");
        OnnxModels p = conv().longs("pads", new long[] {0, 1, 0, 0, 1, 0}, 6);
        p.node("Pad", new String[] {"y", "pads"}, "z");
        refused(p.bytes("z"), "(Pad)", "only W");
        OnnxModels bogus = OnnxModels.withInput("x", 4).floats("w", W, 4, 4, 3);
        bogus.node("Conv", new String[] {"x", "w"}, "y", "frobnicate", 1);
        refused(bogus.bytes("y"), "'frobnicate'", "not supported");
        OnnxModels mode = conv().longs("pads", new long[] {0, 0, 1, 0, 0, 1}, 6);
        mode.node("Pad", new String[] {"y", "pads"}, "z", "mode", "mirror");
        refused(mode.bytes("z"), "(Pad)", "mode 'mirror'");
        OnnxModels channels = OnnxModels.withInput("x", 3).floats("w", W, 4, 4, 3);
        channels.node("Conv", new String[] {"x", "w"}, "y");
        refused(channels.bytes("y"), "(Conv)", "channels");
    }

    @Test
    void opsetsOutsideThirteenToTwentyOne() {
        refused(conv().opset(12).bytes("y"), "opset 12");
        refused(conv().opset(22).bytes("y"), "opset 22");
    }

    @Test
    void apiMisuse() {
        byte[] model = conv().bytes("y");
        try (Conv1dNet reference = Conv1dNet.load(model, NetOptions.defaults().withEngine(Engine.REFERENCE))) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> reference.plan(1, 7));
            assertTrue(e.getMessage().contains("plans nothing"), e.getMessage());
        }
        Conv1dNet net = Conv1dNet.load(model);
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> net.forward(new float[5], 1, 7));
        assertTrue(len.getMessage().startsWith("input:"), len.getMessage());
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
                () -> net.forward(new float[8], 1, 2));
        assertTrue(narrow.getMessage().startsWith("width:"), narrow.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> net.forward(new float[0], 0, 7));
        assertTrue(batch.getMessage().startsWith("batch:"), batch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.forward(new float[28], new float[3], 1, 7));
        net.close();
        assertThrows(IllegalStateException.class, () -> net.forward(new float[28], 1, 7));
        net.close();
    }
}
