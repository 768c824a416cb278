package org.conv1d4j.tests.nets;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safetensors reader: the four float dtypes convert exactly as documented, and every malformed file (truncated,
 * overlapping, oversized, bad JSON, unknown dtype, shape against bytes) is one {@link InvalidInputException} naming
 * the tensor and why, before any large allocation.
 */
class SafeTensorsTest {
    @TempDir
    Path tmp;

    private static byte[] le(int bytesPer, long... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : bits) {
            switch (bytesPer) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    private static byte[] valid() {
        return new SafeTensorsFiles().meta("format", "pt")
                .f32("conv1.weight", new float[] {1, -2, 3.5f, 0, 7, 1e-30f}, 2, 1, 3)
                .f32("conv1.bias", new float[] {0.25f, -0.5f}, 2)
                .raw("bn1.num_batches_tracked", "I64", le(8, 42), new long[0])
                .bytes();
    }

    private InvalidInputException refused(byte[] file, String... fragments) throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafeTensors.parse(file));
        Path p = tmp.resolve("bad" + System.nanoTime() + ".safetensors");
        Files.write(p, file);
        InvalidInputException fromFile = assertThrows(InvalidInputException.class, () -> SafeTensors.read(p));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' expected in: " + e.getMessage());
            assertTrue(fromFile.getMessage().contains(f), "'" + f + "' expected in: " + fromFile.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void readsShapesValuesMetadataAndKeepsTheFileOrder() throws IOException {
        Path p = tmp.resolve("m.safetensors");
        Files.write(p, valid());
        for (SafeTensors st : List.of(SafeTensors.read(p), SafeTensors.parse(valid()))) {
            assertEquals(List.of("conv1.weight", "conv1.bias", "bn1.num_batches_tracked"), st.names());
            assertArrayEquals(new int[] {2, 1, 3}, st.shape("conv1.weight"));
            assertArrayEquals(new float[] {1, -2, 3.5f, 0, 7, 1e-30f}, st.floats("conv1.weight"));
            assertArrayEquals(new float[] {0.25f, -0.5f}, st.floats("conv1.bias"));
            assertEquals("I64", st.dtype("bn1.num_batches_tracked"));
            assertArrayEquals(new int[0], st.shape("bn1.num_batches_tracked"));
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertTrue(st.contains("conv1.bias"));
            assertFalse(st.contains("conv2.bias"));
        }
        SafeTensors st = SafeTensors.parse(valid());
        InvalidInputException notFloat = assertThrows(InvalidInputException.class,
                () -> st.floats("bn1.num_batches_tracked"));
        assertTrue(notFloat.getMessage().contains("'bn1.num_batches_tracked' is I64"), notFloat.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> st.floats("conv2.weight"));
        assertTrue(missing.getMessage().contains("no tensor 'conv2.weight'") && missing.getMessage().contains("conv1.bias"),
                missing.getMessage());
    }

    @Test
    void convertsF64F16AndBf16() {
        double[] d = {1.0 / 3, -1e300, 65504, 5.9604644775390625E-8};
        ByteBuffer f64 = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(d).forEach(f64::putDouble);
        // F16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), +inf, NaN
        byte[] f16 = le(2, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x7e00);
        // BF16: the top half of float32's bits
        byte[] bf16 = le(2, Float.floatToIntBits(1.5f) >>> 16, Float.floatToIntBits(-3.0e38f) >>> 16);
        SafeTensors st = SafeTensors.parse(new SafeTensorsFiles().raw("a", "F64", f64.array(), 4)
                .raw("b", "F16", f16, 2, 3).raw("c", "BF16", bf16, 2).bytes());
        float[] a = st.floats("a");
        assertEquals((float) (1.0 / 3), a[0]);
        assertEquals(Float.NEGATIVE_INFINITY, a[1]);
        assertEquals(65504f, a[2]);
        assertEquals(0x1p-24f, a[3]);
        float[] b = st.floats("b");
        assertArrayEquals(new float[] {1, -2, 65504, 0x1p-24f, Float.POSITIVE_INFINITY}, Arrays.copyOf(b, 5));
        assertTrue(Float.isNaN(b[5]));
        assertArrayEquals(new float[] {1.5f, Float.intBitsToFloat(Float.floatToIntBits(-3.0e38f) & 0xffff0000)},
                st.floats("c"));
    }

    @Test
    void acceptsEscapesWhitespaceAndAnEmptyFile() {
        String h = "{ \"a\\\"b\\u00e9\" : { \"shape\" : [ 1 ] , \"data_offsets\" : [ 0 , 4 ] , \"dtype\" : \"F32\" } }  ";
        SafeTensors st = SafeTensors.parse(SafeTensorsFiles.file(h, le(4, Float.floatToIntBits(2f))));
        assertEquals(List.of("a\"b\u00e9"), st.names());
        assertArrayEquals(new float[] {2f}, st.floats("a\"b\u00e9"));
        assertEquals(List.of(), SafeTensors.parse(SafeTensorsFiles.file("{}", new byte[0])).names());
        // a zero-sized tensor takes no bytes and may share its offset with the next
        SafeTensors z = SafeTensors.parse(new SafeTensorsFiles().f32("empty", new float[0], 0, 5)
                .f32("one", new float[] {1}, 1).bytes());
        assertEquals(0, z.floats("empty").length);
        assertArrayEquals(new int[] {0, 5}, z.shape("empty"));
    }

    @Test
    void refusesTruncatedAndOversizedHeaders() throws IOException {
        byte[] ok = valid();
        refused(new byte[0], "too short");
        refused(Arrays.copyOf(ok, 7), "too short");
        refused(Arrays.copyOf(ok, 20), "truncated");
        byte[] huge = ok.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        refused(huge, "header length 1099511627776");
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        refused(huge, "header length 18446744073709551615");
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0);
        refused(huge, "header length 0");
        // the data cut short: the last tensor reaches past the end
        refused(Arrays.copyOf(ok, ok.length - 1), "'bn1.num_batches_tracked'", "past the data section");
        // bytes after the last tensor
        refused(Arrays.copyOf(ok, ok.length + 4), "tensors end at");
    }

    @Test
    void refusesOverlapsGapsAndBadOffsets() throws IOException {
        String t = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]}";
        byte[] data = new byte[16];
        refused(SafeTensorsFiles.file("{\"a\":" + t.formatted(0, 8) + ",\"b\":" + t.formatted(4, 12) + "}",
                new byte[12]), "'b'", "overlaps tensor 'a'");
        refused(SafeTensorsFiles.file("{\"a\":" + t.formatted(0, 8) + ",\"b\":" + t.formatted(0, 8) + "}", data),
                "overlaps");
        refused(SafeTensorsFiles.file("{\"a\":" + t.formatted(0, 8) + ",\"b\":" + t.formatted(12, 20) + "}",
                new byte[20]), "'b'", "gap");
        refused(SafeTensorsFiles.file("{\"a\":" + t.formatted(8, 0) + "}", data), "'a'", "end before they begin");
        refused(SafeTensorsFiles.file("{\"a\":" + t.formatted(8, 16) + "}", data), "'a'", "gap after the header");
        refused(SafeTensorsFiles.file("{\"a\":" + t.formatted(0, 1L << 50) + "}", data), "'a'", "past the data");
    }

    @Test
    void refusesShapesThatDisagreeWithTheBytesAndUnknownDtypes() throws IOException {
        refused(SafeTensorsFiles.file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                new byte[8]), "'w'", "shape [3] of F32 needs 12 bytes, data_offsets give 8");
        refused(SafeTensorsFiles.file("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536],"
                + "\"data_offsets\":[0,8]}}", new byte[8]), "'w'", "needs more than 2^32 bytes");
        refused(SafeTensorsFiles.file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}",
                new byte[8]), "'w'", "exceeds 2^31-9");
        refused(SafeTensorsFiles.file("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}",
                new byte[16]), "'w'", "unknown dtype 'F128'");
        refused(SafeTensorsFiles.file("{\"w\":{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}}",
                new byte[1]), "'w'", "dtype 'F4' packs values narrower than a byte");
    }

    @Test
    void refusesJsonOtherThanTheHeaderShape() throws IOException {
        String good = "\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]";
        byte[] four = new byte[4];
        String[][] bad = {
            {"[1]", "must be a JSON object"},
            {"{\"w\":{" + good + "}", "ends"},
            {"{\"w\":{" + good + "},}", "tensor name"},
            {"{\"w\":{" + good + "}} x", "characters after"},
            {"{\"w\":{" + good + ",\"extra\":1}}", "unknown key 'extra'"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "'w': has no data_offsets"},
            {"{\"w\":{" + good + "},\"w\":{" + good + "}}", "'w' is declared twice"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", "fraction"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "non-negative integer"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", "leading zero"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "two integers"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", "array of integers"},
            {"{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", "'w': dtype as a string"},
            {" {\"w\":{" + good + "}}", "starting at its first byte"},
            {"{\"__metadata__\":{\"k\":1},\"w\":{" + good + "}}", "string value of metadata key 'k'"},
            {"{\"w\\q\":{" + good + "}}", "bad escape"},
            {"{\"w\":{" + good + "}", "the header ends"},
        };
        for (String[] b : bad) {
            refused(SafeTensorsFiles.file(b[0], four), b[1]);
        }
        byte[] latin1 = SafeTensorsFiles.file("{\"w\":{" + good + "}}", four);
        latin1[10] = (byte) 0xff;
        refused(latin1, "not UTF-8");
    }

    /** Random corruptions of a valid file: each reads or is refused with the documented exception, nothing else. */
    @Test
    void corruptedFilesReadOrAreRefusedCleanly() {
        byte[] ok = valid();
        Random r = new Random(12);
        int refusedCount = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] f = r.nextInt(4) == 0 ? Arrays.copyOf(ok, r.nextInt(ok.length + 8)) : ok.clone();
            for (int j = 1 + r.nextInt(3); j > 0 && f.length > 0; j--) {
                int at = r.nextInt(f.length);
                f[at] = r.nextBoolean() ? (byte) r.nextInt() : (byte) "{}[],:\"0123456789 F".charAt(r.nextInt(19));
            }
            try {
                SafeTensors st = SafeTensors.parse(f);
                for (String n : st.names()) {
                    int count = Arrays.stream(st.shape(n)).reduce(1, (a, b) -> a * b);
                    try {
                        assertEquals(count, st.floats(n).length, n);
                    } catch (InvalidInputException notAFloat) {
                        assertTrue(notAFloat.getMessage().contains("only F32, F64, F16 and BF16"));
                    }
                }
            } catch (InvalidInputException expected) {
                refusedCount++;
            }
        }
        assertTrue(refusedCount > 10_000, "most corruptions are refused: " + refusedCount);
    }
}
