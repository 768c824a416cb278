package org.conv1d4j.benchmarks.peers;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The ONNX model of one Conv1D: a single {@code Conv} node (opset 17, IR 8) with the weights and bias as
 * initializers, input {@code x} (N, C_in, W), output {@code y}. Encoded with the few protobuf rules ONNX needs
 * (varints, length-delimited fields) rather than a protobuf dependency.
 */
final class OnnxConvModel {
    private OnnxConvModel() {
    }

    static byte[] encode(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias) {
        Geometry g = spec.geometry(width);
        Msg node = new Msg().str(1, "x").str(1, "w").str(1, "b").str(2, "y").str(3, "conv").str(4, "Conv")
                .msg(5, ints("kernel_shape", spec.kernelSize()))
                .msg(5, ints("strides", spec.stride()))
                .msg(5, ints("pads", g.padLeft(), g.padRight()))
                .msg(5, ints("dilations", spec.dilation()))
                .msg(5, new Msg().str(1, "group").varint(20, 2).varint(3, spec.groups()));
        Msg graph = new Msg().msg(1, node).str(2, "conv1d")
                .msg(5, tensor("w", floats(weights), spec.outChannels(), spec.inChannels() / spec.groups(),
                        spec.kernelSize()))
                .msg(5, tensor("b", floats(bias), spec.outChannels()))
                .msg(11, value("x", batch, spec.inChannels(), width))
                .msg(12, value("y", batch, spec.outChannels(), g.outWidth()));
        return new Msg().varint(1, 8).msg(8, new Msg().str(1, "").varint(2, 17)).msg(7, graph).bytes();
    }

    private static Msg ints(String name, long... values) {
        Msg a = new Msg().str(1, name).varint(20, 7);
        for (long v : values) {
            a.varint(8, v);
        }
        return a;
    }

    private static Msg tensor(String name, byte[] raw, long... dims) {
        Msg t = new Msg();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, 1).str(8, name).raw(9, raw);
    }

    private static Msg value(String name, long... dims) {
        Msg shape = new Msg();
        for (long d : dims) {
            shape.msg(1, new Msg().varint(1, d));
        }
        Msg tensorType = new Msg().varint(1, 1).msg(2, shape);
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensorType));
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** A protobuf message under construction. */
    private static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg varint(int field, long v) {
            tag(field, 0);
            write(v);
            return this;
        }

        Msg str(int field, String s) {
            return raw(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Msg msg(int field, Msg m) {
            return raw(field, m.bytes());
        }

        Msg raw(int field, byte[] b) {
            tag(field, 2);
            write(b.length);
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            write(((long) field << 3) | wireType);
        }

        private void write(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
