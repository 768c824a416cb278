package org.conv1d4j.tests.nets;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes safetensors files in the test, as the format's own writer lays them out: the tensors' bytes one after the
 * other in the order added, a compact JSON header padded with spaces to a multiple of 8 bytes.
 */
final class SafeTensorsFiles {
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    SafeTensorsFiles meta(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    SafeTensorsFiles f32(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return raw(name, "F32", b.array(), shape);
    }

    SafeTensorsFiles raw(String name, String dtype, byte[] bytes, long... shape) {
        int begin = data.size();
        data.writeBytes(bytes);
        headers.put(name, "{\"dtype\":\"" + dtype + "\",\"shape\":" + Arrays.stream(shape).mapToObj(Long::toString)
                .collect(Collectors.joining(",", "[", "]")) + ",\"data_offsets\":[" + begin + "," + data.size() + "]}");
        return this;
    }

    byte[] bytes() {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":").append(metadata.entrySet().stream()
                    .map(e -> quote(e.getKey()) + ":" + quote(e.getValue())).collect(Collectors.joining(",", "{", "}")));
        }
        headers.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        json.append('}');
        while (json.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            json.append(' ');
        }
        return file(json.toString(), data.toByteArray());
    }

    /** A file of exactly this header (its length written in front) and these data bytes. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .put(data).array();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
