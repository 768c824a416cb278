package org.conv1d4j.cli;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * A spec given by flags, in the vocabulary of {@code case.json}. Every default is {@link Conv1dSpec#builder}'s, so
 * that a flag left out means what it means in the API.
 */
final class SpecOptions {
    @Option(names = "--in-channels", paramLabel = "C_IN", description = "Input channels.")
    Integer inChannels;

    @Option(names = "--out-channels", paramLabel = "C_OUT", description = "Output channels.")
    Integer outChannels;

    @Option(names = "--kernel-size", paramLabel = "K", description = "Kernel size.")
    Integer kernelSize;

    @Option(names = "--stride", defaultValue = "1", description = "Stride (default 1).")
    int stride;

    @Option(names = "--dilation", defaultValue = "1", description = "Dilation (default 1).")
    int dilation;

    @Option(names = "--groups", defaultValue = "1", description = "Groups (default 1; C_in for depthwise).")
    int groups;

    @Option(names = "--padding", defaultValue = "valid", paramLabel = "P",
            description = "valid, same, causal or LEFT,RIGHT (default valid).")
    String padding;

    @Option(names = "--padding-mode", defaultValue = "zeros", description = "zeros, reflect, replicate or circular.")
    String paddingMode;

    @Option(names = "--transposed", description = "A transposed conv (conv_transpose1d).")
    boolean transposed;

    @Option(names = "--output-padding", defaultValue = "0", description = "Transposed conv's output padding.")
    int outputPadding;

    @Option(names = "--activation", defaultValue = "none", description = "none, relu, leaky_relu, elu, gelu_erf, gelu_tanh, tanh, sigmoid, swish, clip.")
    String activation;

    @Option(names = "--alpha", description = "The activation's parameter.")
    Double alpha;

    @Option(names = "--layout", defaultValue = "NCW",
            description = "NCW or NWC (default NCW, as Conv1dSpec.builder; NWC is Keras' channels-last).")
    String layout;

    @Option(names = "--no-bias", description = "No bias.")
    boolean noBias;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Batch size (default 1).")
    int batch;

    @Option(names = "--width", defaultValue = "128", paramLabel = "W", description = "Input width (default 128).")
    int width;

    boolean given() {
        return inChannels != null || outChannels != null || kernelSize != null;
    }

    Conv1dSpec spec() {
        if (inChannels == null || outChannels == null || kernelSize == null) {
            throw new IllegalArgumentException("--in-channels, --out-channels and --kernel-size go together");
        }
        Conv1dSpec.Builder b = Conv1dSpec.builder(inChannels, outChannels, kernelSize)
                .op(transposed ? Op.CONV_TRANSPOSE1D : Op.CONV1D).stride(stride).dilation(dilation).groups(groups)
                .padding(parsePadding(padding)).paddingMode(PaddingMode.fromName(paddingMode))
                .outputPadding(outputPadding).bias(!noBias);
        Activation act = Activation.fromWireName(activation);
        if (alpha != null) {
            b.activation(act, alpha);
        } else {
            b.activation(act);
        }
        try {
            b.layout(Layout.valueOf(layout.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--layout: expected NCW or NWC, got '" + layout + "'");
        }
        return b.build();
    }

    static Padding parsePadding(String p) {
        return switch (p) {
            case "valid" -> Padding.VALID;
            case "same" -> Padding.SAME;
            case "causal" -> Padding.CAUSAL;
            default -> explicitPadding(p);
        };
    }

    private static Padding explicitPadding(String p) {
        String[] lr = p.split(",", -1);
        try {
            if (lr.length == 2) {
                return Padding.explicit(Integer.parseInt(lr[0].trim()), Integer.parseInt(lr[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--padding: expected valid, same, causal or LEFT,RIGHT, got '" + p + "'");
    }
}
