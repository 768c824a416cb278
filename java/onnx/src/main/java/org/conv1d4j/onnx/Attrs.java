package org.conv1d4j.onnx;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto.AttributeType;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's attributes, checked on the way in: only the names its op allows, each once, each of the type ONNX
 * defines for it. Every getter refuses a value of the wrong type with the node's name.
 */
final class Attrs {
    private final NodeProto node;
    private final Map<String, AttributeProto> byName = new HashMap<>();

    Attrs(NodeProto node, Set<String> allowed) {
        this.node = node;
        for (AttributeProto a : node.getAttributeList()) {
            if (!allowed.contains(a.getName())) {
                throw Refusal.node(node, "attribute '" + Refusal.clip(a.getName()) + "' is not supported"
                        + (allowed.isEmpty() ? " (the op takes none)" : " (supported: " + allowed + ")"));
            }
            if (!a.getRefAttrName().isEmpty()) {
                throw Refusal.node(node, "attribute '" + a.getName() + "' refers to a function attribute");
            }
            if (byName.put(a.getName(), a) != null) {
                throw Refusal.node(node, "attribute '" + a.getName() + "' is given twice");
            }
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    private AttributeProto get(String name, AttributeType type) {
        AttributeProto a = byName.get(name);
        if (a != null && a.getType() != type) {
            throw Refusal.node(node, "attribute '" + name + "' must be " + type + ", got " + a.getType());
        }
        return a;
    }

    long integer(String name, long fallback) {
        AttributeProto a = get(name, AttributeType.INT);
        return a == null ? fallback : a.getI();
    }

    float real(String name, float fallback) {
        AttributeProto a = get(name, AttributeType.FLOAT);
        return a == null ? fallback : a.getF();
    }

    String string(String name, String fallback) {
        AttributeProto a = get(name, AttributeType.STRING);
        return a == null ? fallback : a.getS().toString(StandardCharsets.UTF_8);
    }

    /** @return the list, or null when absent */
    List<Long> integers(String name) {
        AttributeProto a = get(name, AttributeType.INTS);
        return a == null ? null : a.getIntsList();
    }

    /** @return the list, or null when absent */
    List<Float> reals(String name) {
        AttributeProto a = get(name, AttributeType.FLOATS);
        return a == null ? null : a.getFloatsList();
    }

    /** @return the tensor, or null when absent */
    AttributeProto tensor(String name) {
        return get(name, AttributeType.TENSOR);
    }

    /**
     * A 1-D attribute's single value: {@code kernel_shape}, {@code strides} and the like hold one entry for a 1-D op.
     *
     * @return the value, or {@code fallback} when absent
     */
    int single(String name, int fallback, int min) {
        List<Long> v = integers(name);
        if (v == null) {
            return fallback;
        }
        if (v.size() != 1) {
            throw Refusal.node(node, "attribute '" + name + "' must hold 1 value for a 1-D op, got " + v.size()
                    + " (only 3-D tensors (N, C, W) are supported)");
        }
        return toInt(name, v.get(0), min);
    }

    int toInt(String name, long v, int min) {
        if (v < min || v > Integer.MAX_VALUE - 8) {
            throw Refusal.node(node, "attribute '" + name + "' value " + v + " is out of range (must be >= " + min + ")");
        }
        return (int) v;
    }

    /** The {@code pads} of a 1-D op, {@code [begin, end]}, or zeros when absent. */
    int[] pads() {
        List<Long> v = integers("pads");
        if (v == null) {
            return new int[2];
        }
        if (v.size() != 2) {
            throw Refusal.node(node, "attribute 'pads' must hold 2 values for a 1-D op, got " + v.size()
                    + " (only 3-D tensors (N, C, W) are supported)");
        }
        return new int[] {toInt("pads", v.get(0), 0), toInt("pads", v.get(1), 0)};
    }

    InvalidInputException refuse(String why) {
        return Refusal.node(node, why);
    }
}
