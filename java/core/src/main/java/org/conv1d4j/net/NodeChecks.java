package org.conv1d4j.net;

import java.util.List;
import java.util.Objects;

/** The argument checks the node records share; messages start with the parameter's name. */
final class NodeChecks {
    private NodeChecks() {
    }

    static String name(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + ": must be a non-empty name");
        }
        return value;
    }

    static float[] copy(String what, float[] values, int length) {
        Objects.requireNonNull(values, what);
        if (values.length != length) {
            throw new IllegalArgumentException(what + ": expected " + length + " values, got " + values.length);
        }
        return values.clone();
    }

    static int oneInput(int[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException("inputs: expected " + expected + " input(s), got " + values.length);
        }
        return values[0];
    }

    static List<String> names(String what, List<String> values) {
        Objects.requireNonNull(values, what);
        for (String v : values) {
            name(what, v);
        }
        return List.copyOf(values);
    }
}
