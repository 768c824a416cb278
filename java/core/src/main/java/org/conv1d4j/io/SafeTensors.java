package org.conv1d4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (the format of Hugging Face's {@code safetensors}, which PyTorch's {@code save_file} writes):
 * an 8-byte little-endian header length {@code n}, {@code n} bytes of UTF-8 JSON naming each tensor's dtype, shape
 * and byte range in the data section, then the data section, little-endian. Read without any third-party library.
 *
 * <p>Everything is checked before a value is read, and every problem is an {@link InvalidInputException} naming the
 * file, the tensor where one is involved, and why: the header length against {@link #MAX_HEADER_BYTES} and the file
 * size; the header's JSON (exactly {@code dtype}, {@code shape}, {@code data_offsets} per tensor, and an optional
 * {@code __metadata__} of string to string); names unique; every dtype one the format defines; every shape's
 * element count times its dtype's size equal to its byte range; the ranges inside the data section, and, sorted,
 * each starting where the one before ends and the last ending where the data does (no overlap, no gap, as the
 * format's own reader requires).
 *
 * <p>All dtypes of whole bytes are accepted in the file (a PyTorch {@code state_dict} holds {@code I64}
 * {@code num_batches_tracked}); the packed sub-byte {@code F4} and {@code F6_*} are refused. {@link #floats(String)}
 * converts {@code F32}, {@code F64}, {@code F16} and
 * {@code BF16} to float32 and refuses the others. Files whose data section exceeds {@code 2^31 - 9} bytes are
 * refused. The whole data section is read into memory; instances are immutable and thread-safe.
 */
public final class SafeTensors {
    /** The largest header read, in bytes (the format's own reader's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000;
    /** The largest data section read, in bytes (one Java array). */
    public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private static final Map<String, Integer> DTYPE_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1), Map.entry("U16", 2), Map.entry("I16", 2),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("U32", 4), Map.entry("I32", 4),
            Map.entry("F32", 4), Map.entry("U64", 8), Map.entry("I64", 8), Map.entry("F64", 8),
            Map.entry("C64", 8));
    /** The format's dtypes narrower than a byte, packed: known, but not read. */
    private static final java.util.Set<String> SUB_BYTE = java.util.Set.of("F4", "F6_E2M3", "F6_E3M2");

    private final String source;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final byte[] data;

    /** A checked tensor: where its bytes lie in the data section. */
    // the shape is copied out by shape(String); tensors are not compared or hashed
    @SuppressWarnings("ArrayRecordComponent")
    private record Tensor(String dtype, int[] shape, int begin, int count) {
    }

    private SafeTensors(String source, Map<String, Tensor> tensors, Map<String, String> metadata, byte[] data) {
        this.source = source;
        this.tensors = tensors;
        this.metadata = Map.copyOf(metadata);
        this.data = data;
    }

    /**
     * Reads and checks a file. The header is checked against the file's size before the data is read.
     *
     * @param file the {@code .safetensors} file
     * @return its tensors
     * @throws IOException when the file cannot be read
     * @throws InvalidInputException when it is not a well-formed safetensors file, naming the tensor and why
     * @throws IllegalArgumentException when {@code file} is null
     */
    public static SafeTensors read(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: must not be null");
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long headerLen = headerLength(ByteBuffer.wrap(read(ch, 0, (int) Math.min(size, 8), name)), size, name);
            String json = decode(ByteBuffer.wrap(read(ch, 8, (int) headerLen, name)), name);
            long dataLen = size - 8 - headerLen;
            checkDataLength(dataLen, name);
            SafeTensorsHeader header = SafeTensorsHeader.parse(json, name);
            Map<String, Tensor> tensors = check(header, dataLen, name);
            byte[] data = read(ch, 8 + headerLen, (int) dataLen, name);
            return new SafeTensors(name, tensors, header.metadata(), data);
        }
    }

    /**
     * Checks a file held in memory.
     *
     * @param file the whole file's bytes (not modified, not kept)
     * @return its tensors
     * @throws InvalidInputException when it is not a well-formed safetensors file, naming the tensor and why
     * @throws IllegalArgumentException when {@code file} is null
     */
    public static SafeTensors parse(byte[] file) {
        if (file == null) {
            throw new IllegalArgumentException("file: must not be null");
        }
        String name = "safetensors bytes";
        ByteBuffer all = ByteBuffer.wrap(file);
        long headerLen = headerLength(all.slice(0, Math.min(file.length, 8)), file.length, name);
        String json = decode(all.slice(8, (int) headerLen), name);
        long dataLen = file.length - 8 - headerLen;
        SafeTensorsHeader header = SafeTensorsHeader.parse(json, name);
        Map<String, Tensor> tensors = check(header, dataLen, name);
        byte[] data = new byte[(int) dataLen];
        System.arraycopy(file, (int) (8 + headerLen), data, 0, data.length);
        return new SafeTensors(name, tensors, header.metadata(), data);
    }

    /** @return the tensors' names, in the order of their bytes in the file */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /**
     * @param name a tensor's name
     * @return whether the file holds it
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * @param name a tensor's name
     * @return its dtype as the file writes it, e.g. {@code F32}, {@code BF16}, {@code I64}
     * @throws InvalidInputException when the file holds no such tensor
     */
    public String dtype(String name) {
        return get(name).dtype;
    }

    /**
     * @param name a tensor's name
     * @return its shape (a new array; empty for a scalar)
     * @throws InvalidInputException when the file holds no such tensor
     */
    public int[] shape(String name) {
        return get(name).shape.clone();
    }

    /**
     * A tensor's values as float32, in the file's (C) order: {@code F32} as stored, {@code F64} rounded to nearest,
     * {@code F16} and {@code BF16} exactly.
     *
     * @param name a tensor's name
     * @return its values, a new array
     * @throws InvalidInputException when the file holds no such tensor, or its dtype is not a float
     */
    public float[] floats(String name) {
        Tensor t = get(name);
        ByteBuffer b = ByteBuffer.wrap(data, t.begin, t.count * DTYPE_SIZES.get(t.dtype)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[t.count];
        switch (t.dtype) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble();
                }
            }
            case "F16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Npy.halfToFloat(b.getShort());
                }
            }
            case "BF16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                }
            }
            default -> throw new InvalidInputException(source + ": tensor '" + name + "' is " + t.dtype
                    + "; only F32, F64, F16 and BF16 convert to float");
        }
        return out;
    }

    /** @return the header's {@code __metadata__}, empty when it has none */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "SafeTensors(" + source + ", " + tensors.size() + " tensors)";
    }

    private Tensor get(String name) {
        Tensor t = name == null ? null : tensors.get(name);
        if (t == null) {
            List<String> names = names();
            throw new InvalidInputException(source + ": no tensor '" + name + "' (the file holds " + names.size()
                    + (names.isEmpty() ? "" : ": " + String.join(", ", names.subList(0, Math.min(names.size(), 12)))
                            + (names.size() > 12 ? ", ..." : "")) + ")");
        }
        return t;
    }

    private static long headerLength(ByteBuffer first8, long fileSize, String name) {
        if (first8.remaining() < 8) {
            throw new InvalidInputException(name + ": too short to be a safetensors file (" + fileSize + " bytes)");
        }
        long n = first8.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new InvalidInputException(name + ": header length " + Long.toUnsignedString(n)
                    + " is outside [2, " + MAX_HEADER_BYTES + "]");
        }
        if (n > fileSize - 8) {
            throw new InvalidInputException(name + ": truncated: the header declares " + n + " bytes, the file has "
                    + (fileSize - 8) + " after the length");
        }
        return n;
    }

    private static byte[] read(FileChannel ch, long position, int length, String name) throws IOException {
        byte[] bytes = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new InvalidInputException(name + ": truncated while reading");
            }
        }
        return bytes;
    }

    private static void checkDataLength(long dataLen, String name) {
        if (dataLen > MAX_DATA_BYTES) {
            throw new InvalidInputException(name + ": the data section is " + dataLen + " bytes, more than the "
                    + MAX_DATA_BYTES + " read");
        }
    }

    private static String decode(ByteBuffer header, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(name + ": bad safetensors header: not UTF-8");
        }
    }

    private static Map<String, Tensor> check(SafeTensorsHeader header, long dataLen, String name) {
        List<SafeTensorsHeader.Entry> entries = new ArrayList<>(header.entries());
        for (SafeTensorsHeader.Entry e : entries) {
            checkEntry(e, dataLen, name);
        }
        entries.sort(Comparator.comparingLong(SafeTensorsHeader.Entry::begin)
                .thenComparingLong(SafeTensorsHeader.Entry::end));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long end = 0;
        String previous = null;
        for (SafeTensorsHeader.Entry e : entries) {
            if (e.begin() < end) {
                throw new InvalidInputException(name + ": tensor '" + e.name() + "' [" + e.begin() + ", " + e.end()
                        + ") overlaps tensor '" + previous + "', which ends at " + end);
            }
            if (e.begin() > end) {
                throw new InvalidInputException(name + ": tensor '" + e.name() + "' starts at " + e.begin()
                        + ", leaving a gap after " + (previous == null ? "the header" : "tensor '" + previous + "'")
                        + ", which ends at " + end);
            }
            end = e.end();
            previous = e.name();
            int[] shape = new int[e.shape().length];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) e.shape()[i];
                count *= shape[i];
            }
            tensors.put(e.name(), new Tensor(e.dtype(), shape, (int) e.begin(), (int) count));
        }
        if (end != dataLen) {
            throw new InvalidInputException(name + ": the data section holds " + dataLen + " bytes but the tensors "
                    + "end at " + end);
        }
        return tensors;
    }

    private static void checkEntry(SafeTensorsHeader.Entry e, long dataLen, String name) {
        String what = name + ": tensor '" + e.name() + "': ";
        Integer size = DTYPE_SIZES.get(e.dtype());
        if (size == null) {
            throw new InvalidInputException(what + (SUB_BYTE.contains(e.dtype()) ? "dtype '" + e.dtype()
                    + "' packs values narrower than a byte and is not supported" : "unknown dtype '" + e.dtype() + "'"));
        }
        if (e.end() < e.begin()) {
            throw new InvalidInputException(what + "data_offsets [" + e.begin() + ", " + e.end()
                    + "] end before they begin");
        }
        if (e.end() > dataLen) {
            throw new InvalidInputException(what + "data_offsets [" + e.begin() + ", " + e.end()
                    + "] reach past the data section of " + dataLen + " bytes");
        }
        long bytes = size;
        for (long d : e.shape()) {
            if (d > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(what + "dimension " + d + " exceeds 2^31-9");
            }
        }
        for (long d : e.shape()) {
            if (d == 0) {
                bytes = 0;
                break;
            }
            // every dim >= 1, so the product only grows; stop once it exceeds 2^32 (times d < 2^31: no overflow)
            if (bytes <= 1L << 32) {
                bytes *= d;
            }
        }
        if (bytes != e.end() - e.begin()) {
            throw new InvalidInputException(what + "shape " + java.util.Arrays.toString(e.shape()) + " of "
                    + e.dtype() + " needs " + (bytes > 1L << 32 ? "more than 2^32" : String.valueOf(bytes))
                    + " bytes, data_offsets give " + (e.end() - e.begin()));
        }
    }
}
