package org.conv1d4j.spark;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file's bytes and their SHA-256, the key under which every JVM keeps one loaded network.
 *
 * @param bytes the model file's bytes (not copied; not modified)
 * @param sha256 the lower-case hex SHA-256 of {@code bytes}
 */
@SuppressWarnings("ArrayRecordComponent") // the bytes are handed over as they are; equality is the hash's
record ModelBytes(byte[] bytes, String sha256) {

    /**
     * Hashes a model.
     *
     * @param bytes the model file's bytes
     * @return the bytes with their hash
     * @throws IllegalArgumentException naming {@code model} when it is null or empty
     */
    public static ModelBytes of(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("model: no bytes (null or empty)");
        }
        try {
            return new ModelBytes(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
