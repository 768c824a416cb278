package org.conv1d4j.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

import java.util.Base64;

/**
 * A {@link Param} holding bytes (a model file), written to a saved stage's metadata as a Base64 JSON string so that
 * {@link org.apache.spark.ml.util.DefaultParamsWriter} can persist it.
 */
public final class BytesParam extends Param<byte[]> {
    private static final long serialVersionUID = 1L;

    /**
     * A bytes param.
     *
     * @param parent the stage
     * @param name the param's name
     * @param doc what it holds
     */
    public BytesParam(Identifiable parent, String name, String doc) {
        super(parent, name, doc);
    }

    /**
     * @param value the bytes
     * @return {@code "<base64>"}
     */
    @Override
    public String jsonEncode(byte[] value) {
        return "\"" + Base64.getEncoder().encodeToString(value) + "\"";
    }

    /**
     * Reads what {@link #jsonEncode(byte[])} wrote.
     *
     * @param json a JSON string of Base64
     * @return the bytes
     * @throws IllegalArgumentException naming the param when {@code json} is not a JSON string of Base64
     */
    @Override
    public byte[] jsonDecode(String json) {
        String s = json.strip();
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            throw new IllegalArgumentException(name() + ": expected a JSON string of Base64, got "
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s));
        }
        return Base64.getDecoder().decode(s.substring(1, s.length() - 1));
    }
}
