package org.conv1d4j.onnx;

import com.google.protobuf.ByteString;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a {@code TensorProto} into a {@link ConstTensor}, checking what a hostile file could get wrong: negative or
 * overflowing dims, a byte count that does not match the dims, data in both {@code raw_data} and a typed field,
 * external data, unsupported data types. Nothing is allocated before the sizes are known to agree (a file of a few
 * bytes must not make the reader allocate gigabytes).
 */
final class TensorDecoder {
    private static final int MAX_RANK = 8;

    private TensorDecoder() {
    }

    static ConstTensor decode(TensorProto t, String where) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw bad(where, "external data (a separate weights file) is not supported");
        }
        if (t.hasSegment()) {
            throw bad(where, "segmented tensors are not supported");
        }
        if (t.getDimsCount() > MAX_RANK) {
            throw bad(where, "rank " + t.getDimsCount() + " exceeds " + MAX_RANK);
        }
        long[] dims = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) {
                throw bad(where, "dim " + i + " is negative (" + dims[i] + ")");
            }
            count = dims[i] == 0 ? 0 : (count > (Integer.MAX_VALUE - 8) / dims[i] ? Long.MAX_VALUE : count * dims[i]);
        }
        for (long d : dims) {
            if (d == 0) {
                count = 0;
            }
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw bad(where, "dims " + java.util.Arrays.toString(dims) + " hold more than 2^31-9 elements");
        }
        int n = (int) count;
        boolean raw = t.hasRawData();
        return switch (t.getDataType()) {
            case ConstTensor.FLOAT -> {
                checkOne(where, raw, t.getFloatDataCount(), "float_data", n);
                ByteBuffer b = raw ? rawBuffer(where, t.getRawData(), n, 4) : null;
                float[] f = new float[n];
                if (raw) {
                    b.asFloatBuffer().get(f);
                } else {
                    for (int i = 0; i < n; i++) {
                        f[i] = t.getFloatData(i);
                    }
                }
                yield ConstTensor.ofFloats(dims, f);
            }
            case ConstTensor.INT64 -> {
                checkOne(where, raw, t.getInt64DataCount(), "int64_data", n);
                ByteBuffer b = raw ? rawBuffer(where, t.getRawData(), n, 8) : null;
                long[] l = new long[n];
                if (raw) {
                    b.asLongBuffer().get(l);
                } else {
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt64Data(i);
                    }
                }
                yield ConstTensor.ofLongs(ConstTensor.INT64, dims, l);
            }
            case ConstTensor.INT32, ConstTensor.BOOL -> {
                checkOne(where, raw, t.getInt32DataCount(), "int32_data", n);
                ByteBuffer b = raw ? rawBuffer(where, t.getRawData(), n, t.getDataType() == ConstTensor.BOOL ? 1 : 4)
                        : null;
                long[] l = new long[n];
                if (raw) {
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getDataType() == ConstTensor.BOOL ? b.get(i) : b.getInt(4 * i);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt32Data(i);
                    }
                }
                yield ConstTensor.ofLongs(t.getDataType(), dims, l);
            }
            default -> throw bad(where, "data type " + typeName(t.getDataType())
                    + " is not supported (float32 weights, int64/int32/bool shapes)");
        };
    }

    static String typeName(int type) {
        TensorProto.DataType d = TensorProto.DataType.forNumber(type);
        return d == null ? "#" + type : d.name();
    }

    private static void checkOne(String where, boolean raw, int typed, String field, int n) {
        if (raw && typed > 0) {
            throw bad(where, "holds data in both raw_data and " + field);
        }
        if (!raw && typed != n) {
            throw bad(where, "dims say " + n + " elements, " + field + " holds " + typed);
        }
    }

    private static ByteBuffer rawBuffer(String where, ByteString raw, int n, int width) {
        if (raw.size() != (long) n * width) {
            throw bad(where, "dims say " + n + " elements (" + (long) n * width + " bytes), raw_data holds "
                    + raw.size() + " bytes");
        }
        return raw.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static InvalidInputException bad(String where, String why) {
        return new InvalidInputException(where + ": " + why);
    }
}
