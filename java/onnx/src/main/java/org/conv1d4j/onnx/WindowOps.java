package org.conv1d4j.onnx;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.WeightLayout;

import java.util.List;
import java.util.Set;

/**
 * Maps the windowed ops, {@code Conv}, {@code ConvTranspose}, {@code MaxPool} and {@code AveragePool}, checking
 * their attributes are those of a 1-D op.
 */
final class WindowOps {
    private final Values v;

    WindowOps(Values v) {
        this.v = v;
    }

    NetNode conv(NodeProto n, boolean transposed) {
        Set<String> allowed = transposed
                ? Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides", "output_padding",
                        "output_shape")
                : Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        Attrs a = new Attrs(n, allowed);
        String x = v.data(n, 0, 3);
        ConstTensor w = v.constant(n, 1, true);
        if (!w.isFloat() || w.rank() != 3) {
            throw Refusal.node(n, "the weights must be a 3-D float32 tensor (a 1-D conv), got " + w);
        }
        int k = (int) w.dims[2];
        int kernel = a.single("kernel_shape", k, 1);
        if (kernel != k) {
            throw Refusal.node(n, "kernel_shape " + kernel + " does not match the weights' " + k);
        }
        int group = a.toInt("group", a.integer("group", 1), 1);
        long in = transposed ? w.dims[0] : w.dims[1] * group;
        long out = transposed ? w.dims[1] * group : w.dims[0];
        if (in < 1 || out < 1 || in > Integer.MAX_VALUE - 8 || out > Integer.MAX_VALUE - 8 || k < 1) {
            throw Refusal.node(n, "the weights " + w + " with group " + group + " give no valid channel counts");
        }
        float[] bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = v.floats(n, 2, "the bias", (int) out);
        }
        String autoPad = a.string("auto_pad", "NOTSET");
        ConvNode.AutoPad mode;
        Padding padding;
        switch (autoPad) {
            case "NOTSET" -> {
                int[] p = a.pads();
                mode = ConvNode.AutoPad.NOTSET;
                padding = Padding.explicit(p[0], p[1]);
            }
            case "VALID" -> {
                mode = ConvNode.AutoPad.NOTSET;
                padding = Padding.VALID;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                mode = autoPad.equals("SAME_UPPER") ? ConvNode.AutoPad.SAME_UPPER : ConvNode.AutoPad.SAME_LOWER;
                padding = Padding.VALID;
            }
            default -> throw Refusal.node(n, "auto_pad '" + Refusal.clip(autoPad) + "' is not one of NOTSET, "
                    + "SAME_UPPER, SAME_LOWER, VALID");
        }
        int outputShape = 0;
        List<Long> os = a.integers("output_shape");
        if (os != null) {
            if (os.isEmpty()) {
                throw Refusal.node(n, "output_shape is empty");
            }
            outputShape = a.toInt("output_shape", os.get(os.size() - 1), 1);
            padding = Padding.VALID;
        }
        try {
            Conv1dSpec spec = Conv1dSpec.builder((int) in, (int) out, k)
                    .op(transposed ? Op.CONV_TRANSPOSE1D : Op.CONV1D)
                    .stride(a.single("strides", 1, 1))
                    .dilation(a.single("dilations", 1, 1))
                    .groups(group)
                    .padding(padding)
                    .outputPadding(transposed ? a.single("output_padding", 0, 0) : 0)
                    .bias(bias != null)
                    .weightLayout(transposed ? WeightLayout.IOW : WeightLayout.OIW)
                    .build();
            return new ConvNode(Values.name(n), x, v.singleOutput(n), spec, w.floats, bias, mode, outputShape);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
    }

    NetNode pool(NodeProto n, boolean max) {
        Attrs a = new Attrs(n, max
                ? Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides")
                : Set.of("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"));
        String x = v.data(n, 0, 1);
        String autoPad = a.string("auto_pad", "NOTSET");
        int[] pads = a.pads();
        if (autoPad.equals("VALID")) {
            pads = new int[2];
        } else if (!autoPad.equals("NOTSET")) {
            throw Refusal.node(n, "auto_pad '" + Refusal.clip(autoPad) + "' is not supported for pooling (NOTSET or "
                    + "VALID)");
        }
        if (!a.has("kernel_shape")) {
            throw Refusal.node(n, "kernel_shape is missing");
        }
        try {
            return new PoolNode(Values.name(n), x, v.singleOutput(n), max, a.single("kernel_shape", 1, 1),
                    a.single("strides", 1, 1), pads[0], pads[1], a.single("dilations", 1, 1),
                    a.integer("ceil_mode", 0) != 0, a.integer("count_include_pad", 0) != 0);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
    }
}
