package org.conv1d4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1, 2 and 3). Reading accepts float16, float32 and
 * float64 in either byte order and C or Fortran order, and converts to float32 in C order; anything else is
 * rejected with {@link InvalidInputException}. The declared size is checked against the file before anything is
 * allocated, so a header that declares 2^40 elements fails cleanly. Writing produces float32 little-endian C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * An n-dimensional float32 array in C order.
     *
     * @param shape the dims
     * @param data {@code product(shape)} floats
     */
    // a file's shape and values as read, handed over without a copy (they can be large); not compared or hashed
    @SuppressWarnings("ArrayRecordComponent")
    public record Array(int[] shape, float[] data) {
        /** @return the shape as {@code (a, b, c)} */
        public String shapeString() {
            return Arrays.toString(shape).replace('[', '(').replace(']', ')');
        }
    }

    /**
     * Reads a file.
     *
     * @param file the {@code .npy} file
     * @return its contents as float32, C order
     * @throws IOException when the file cannot be read
     * @throws InvalidInputException when it is not a supported {@code .npy} file
     * @throws IllegalArgumentException when {@code file} is null
     */
    public static Array read(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: must not be null");
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = readFully(ch, 0, (int) Math.min(size, 12), name);
            if (pre.remaining() < 10) {
                throw bad(name, "too short to be a .npy file");
            }
            byte[] magic = new byte[6];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw bad(name, "not a .npy file (bad magic)");
            }
            int major = pre.get() & 0xff;
            pre.get();
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (pre.limit() < 12) {
                    throw bad(name, "truncated header");
                }
                headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xffffffffL;
                headerStart = 12;
            } else {
                throw bad(name, "unsupported .npy version " + major);
            }
            if (headerLen > MAX_HEADER || headerStart + headerLen > size) {
                throw bad(name, "truncated or oversized header (" + headerLen + " bytes)");
            }
            ByteBuffer hb = readFully(ch, headerStart, (int) headerLen, name);
            String header = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).decode(hb).toString().trim();
            Header h = parseHeader(header, name);
            long dataStart = headerStart + headerLen;
            long count = 1;
            for (int d : h.shape) {
                count = Math.multiplyExact(count, (long) d);
            }
            long bytes = Math.multiplyExact(count, (long) h.itemSize);
            if (count > Integer.MAX_VALUE - 8) {
                throw bad(name, "declares " + count + " elements, more than a Java array holds");
            }
            if (dataStart + bytes > size) {
                throw bad(name, "truncated: shape " + Arrays.toString(h.shape) + " needs " + bytes + " data bytes, file has "
                        + (size - dataStart));
            }
            if (dataStart + bytes < size) {
                throw bad(name, "has " + (size - dataStart - bytes) + " bytes after the data");
            }
            ByteBuffer data = readFully(ch, dataStart, (int) bytes, name).order(h.order);
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (h.itemSize) {
                    case 2 -> halfToFloat(data.getShort());
                    case 4 -> data.getFloat();
                    default -> (float) data.getDouble();
                };
            }
            return new Array(h.shape, h.fortran ? fortranToC(values, h.shape) : values);
        } catch (ArithmeticException e) {
            throw bad(name, "declared shape overflows");
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // read once, never compared
    private record Header(ByteOrder order, int itemSize, boolean fortran, int[] shape) {
    }

    private static Header parseHeader(String header, String name) {
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw bad(name, "header is not a dictionary");
        }
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw bad(name, "header lacks descr, fortran_order or shape");
        }
        String d = descr.group(1);
        if (d.length() != 3 || d.charAt(1) != 'f') {
            throw bad(name, "dtype '" + d + "' is not supported (float16, float32 or float64 only)");
        }
        ByteOrder order = switch (d.charAt(0)) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw bad(name, "dtype '" + d + "' has an unknown byte order");
        };
        int itemSize = switch (d.charAt(2)) {
            case '2' -> 2;
            case '4' -> 4;
            case '8' -> 8;
            default -> throw bad(name, "dtype '" + d + "' is not supported (float16, float32 or float64 only)");
        };
        String[] parts = shape.group(1).split(",", -1);
        int n = 0;
        int[] dims = new int[parts.length];
        for (String p : parts) {
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw bad(name, "shape entry '" + t + "' is not an integer");
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw bad(name, "shape entry " + v + " is out of range");
            }
            dims[n++] = (int) v;
        }
        return new Header(order, itemSize, fortran.group(1).equals("True"), Arrays.copyOf(dims, n));
    }

    private static float[] fortranToC(float[] f, int[] shape) {
        float[] c = new float[f.length];
        int nd = shape.length;
        int[] idx = new int[nd];
        for (int ci = 0; ci < c.length; ci++) {
            // idx is the C-order multi-index of ci; its Fortran offset has the first dim fastest
            long fi = 0;
            for (int d = nd - 1; d >= 0; d--) {
                fi = fi * shape[d] + idx[d];
            }
            c[ci] = f[(int) fi];
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return c;
    }

    /** IEEE 754 binary16 to float. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static ByteBuffer readFully(FileChannel ch, long at, int len, String name) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw bad(name, "truncated");
            }
        }
        return b.flip();
    }

    private static InvalidInputException bad(String file, String why) {
        return new InvalidInputException(file + ": " + why);
    }

    /**
     * Writes float32 little-endian, C order.
     *
     * @param file where to write
     * @param shape the dims
     * @param data {@code product(shape)} floats
     * @throws IOException when writing fails
     * @throws IllegalArgumentException when an argument is null or the shape does not hold the data
     */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        if (file == null || shape == null || data == null) {
            throw new IllegalArgumentException((file == null ? "file" : shape == null ? "shape" : "data")
                    + ": must not be null");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " floats");
        }
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int d : shape) {
            dict.append(d).append(", ");
        }
        if (shape.length > 1) {
            dict.setLength(dict.length() - 1);
        }
        dict.append("), }");
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        dict.append(" ".repeat(pad)).append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dict.length());
        b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (float v : data) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }
}
