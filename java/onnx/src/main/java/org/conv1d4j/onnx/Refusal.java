package org.conv1d4j.onnx;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;

/** Builds the one exception every refusal is: {@code node 'NAME' (OP): why}, or {@code model: why}. */
final class Refusal {
    private Refusal() {
    }

    static InvalidInputException model(String why) {
        return new InvalidInputException("model: " + why);
    }

    static InvalidInputException node(NodeProto node, String why) {
        return new InvalidInputException(describe(node) + ": " + why);
    }

    static String describe(NodeProto node) {
        String name = node.getName().isEmpty()
                ? (node.getOutputCount() > 0 ? "producing " + node.getOutput(0) : "unnamed") : node.getName();
        return "node '" + clip(name) + "' (" + clip(node.getOpType()) + ")";
    }

    /** Keeps hostile names from making messages of megabytes. */
    static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
