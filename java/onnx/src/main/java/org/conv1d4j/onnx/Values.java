package org.conv1d4j.onnx;

import org.conv1d4j.onnx.proto.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the importer knows about every tensor name while it walks the model: the constants (initializers and what
 * was computed from them), the network's data tensors with their channel counts, and the names removed nodes
 * pass on. Gives each node's inputs as the kind they must be, refusing the other kind with the node's name.
 */
final class Values {
    private final Map<String, ConstTensor> constants = new HashMap<>();
    /** The dynamic tensors (the network's data), with their channel counts. */
    private final Map<String, Integer> channels = new HashMap<>();
    /** Outputs of removed nodes ({@code Identity}, {@code Dropout}) to the tensor they pass on. */
    private final Map<String, String> aliases = new HashMap<>();
    private ModelGraph graph;

    ModelGraph graph() {
        return graph;
    }

    void graph(ModelGraph g) {
        this.graph = g;
    }

    /** @return false when the name was already a constant */
    boolean putConstant(String name, ConstTensor value) {
        return constants.put(name, value) == null;
    }

    ConstTensor constantOrNull(String name) {
        return constants.get(name);
    }

    boolean isConstant(String name) {
        return constants.containsKey(name);
    }

    java.util.Set<String> constantNames() {
        return constants.keySet();
    }

    void putData(String name, int c) {
        channels.put(name, c);
    }

    int channels(String name) {
        return channels.get(name);
    }

    boolean isData(String name) {
        return channels.containsKey(name);
    }

    void alias(String name, String target) {
        aliases.put(name, target);
    }

    String resolve(String name) {
        String r = name;
        for (int guard = 0; aliases.containsKey(r) && guard < 1_000_000; guard++) {
            r = aliases.get(r);
        }
        return r;
    }

    boolean isDynamic(String name) {
        return !name.isEmpty() && channels.containsKey(resolve(name));
    }

    boolean allInputsConstant(NodeProto n) {
        for (String in : n.getInputList()) {
            if (!in.isEmpty() && !constants.containsKey(resolve(in))) {
                return false;
            }
        }
        return true;
    }

    List<ConstTensor> constInputs(NodeProto n) {
        List<ConstTensor> in = new ArrayList<>();
        for (String s : n.getInputList()) {
            in.add(s.isEmpty() ? null : constants.get(resolve(s)));
        }
        return in;
    }

    static String name(NodeProto n) {
        return n.getName().isEmpty() ? n.getOpType() + ":" + n.getOutput(0) : n.getName();
    }

    /** The node's only output that anything reads; the others must be absent or unread. */
    String singleOutput(NodeProto n) {
        String out = n.getOutput(0);
        if (out.isEmpty()) {
            throw Refusal.node(n, "its first output has no name");
        }
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && graph.isRead(n.getOutput(i))) {
                throw Refusal.node(n, "output " + i + " ('" + Refusal.clip(n.getOutput(i))
                        + "') is read, but only the first output is supported");
            }
        }
        return out;
    }

    static void arity(NodeProto n, int min, int max) {
        if (n.getInputCount() < min || n.getInputCount() > max) {
            throw Refusal.node(n, "takes " + min + (max > min ? " to " + max : "") + " inputs, got "
                    + n.getInputCount());
        }
    }

    /** Input {@code i}, which must be the network's data; checks the node's input count. */
    String data(NodeProto n, int i, int maxInputs) {
        arity(n, i + 1, maxInputs);
        String s = n.getInput(i);
        if (!isDynamic(s)) {
            throw Refusal.node(n, "input " + i + " ('" + Refusal.clip(s) + "') must be computed from the network's "
                    + "input" + (constants.containsKey(resolve(s)) ? ", not a constant" : ""));
        }
        return resolve(s);
    }

    /** Input {@code i} as a constant, or null when it is absent and optional. */
    ConstTensor constant(NodeProto n, int i, boolean required) {
        String s = i < n.getInputCount() ? n.getInput(i) : "";
        if (s.isEmpty()) {
            if (required) {
                throw Refusal.node(n, "input " + i + " is missing");
            }
            return null;
        }
        ConstTensor t = constants.get(resolve(s));
        if (t == null) {
            throw Refusal.node(n, "input " + i + " ('" + Refusal.clip(s) + "') must be a constant (an initializer "
                    + "or computed from constants), not computed from the network's input");
        }
        return t;
    }

    float[] floats(NodeProto n, int i, String what, int length) {
        ConstTensor t = constant(n, i, true);
        if (!t.isFloat()) {
            throw Refusal.node(n, what + " must be float32, got " + TensorDecoder.typeName(t.type));
        }
        if (length >= 0 && (t.rank() != 1 || t.size() != length)) {
            throw Refusal.node(n, what + " must be 1-D of " + length + " values, got " + t);
        }
        return t.floats;
    }

    double scalar(NodeProto n, int i, String what) {
        ConstTensor t = constant(n, i, true);
        if (t.size() != 1) {
            throw Refusal.node(n, what + " must be one value, got " + t);
        }
        if (!t.allKnown()) {
            throw Refusal.node(n, what + " depends on the model's symbolic batch or width");
        }
        return t.value(0);
    }
}
