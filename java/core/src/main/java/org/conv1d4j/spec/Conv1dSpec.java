package org.conv1d4j.spec;

import java.util.Objects;

/**
 * An immutable Conv1D request in Keras / PyTorch vocabulary. Start from the framework your weights come from:
 * {@link #pytorch(int, int, int)} ({@link Layout#NCW}, {@link WeightLayout#OIW} / {@link WeightLayout#IOW}) or
 * {@link #keras(int, int, int)} ({@link Layout#NWC}, {@link WeightLayout#WIO} / {@link WeightLayout#WOI}); both set
 * the activation layout and the weight layout together, so that neither can be left half right. Data in the wrong
 * layout has the right element count and cannot be detected. {@link #builder(int, int, int)} is
 * {@link #pytorch(int, int, int)}.
 *
 * <p>Defaults of every starting point: {@link Op#CONV1D}, stride 1, dilation 1, groups 1, {@link Padding#VALID},
 * {@link PaddingMode#ZEROS}, output padding 0, bias on, {@link Activation#NONE}.
 *
 * <p>Shapes, with {@code G = groups}: input {@code (N, C_in, W)} in {@link Layout#NCW} or {@code (N, W, C_in)} in
 * {@link Layout#NWC}; weights as {@link WeightLayout} says; bias {@code (C_out)}; output {@code (N, C_out, OW)} or
 * {@code (N, OW, C_out)} with {@code OW} from {@link #geometry(int)}.
 *
 * <p>Forward: {@code y[n, o, t] = f(b[o] + sum_{i in group(o), k} w[o, i, k] * xpad[n, i, t*stride + k*dilation])}.
 * Transposed: the adjoint, {@code y[n, o, t*stride + k*dilation - cropLeft] += x[n, i, t] * w[i, o, k]}, plus bias,
 * then {@code f}.
 */
public final class Conv1dSpec {
    private final Op op;
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int dilation;
    private final int groups;
    private final Padding padding;
    private final PaddingMode paddingMode;
    private final int outputPadding;
    private final boolean bias;
    private final Activation activation;
    private final double alpha;
    private final Layout layout;
    private final WeightLayout weightLayout;

    private Conv1dSpec(Builder b) {
        this.op = b.op;
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelSize = b.kernelSize;
        this.stride = b.stride;
        this.dilation = b.dilation;
        this.groups = b.groups;
        this.padding = b.padding;
        this.paddingMode = b.paddingMode;
        this.outputPadding = b.outputPadding;
        this.bias = b.bias;
        this.activation = b.activation;
        this.alpha = Double.isNaN(b.alpha) ? b.activation.defaultAlpha() : b.alpha;
        this.layout = b.layout;
        this.weightLayout = b.weightLayout != null ? b.weightLayout : b.framework.weightLayout(op);
        validate();
    }

    /**
     * Starts a spec with PyTorch's defaults, the same as {@link #pytorch(int, int, int)}: activations
     * {@link Layout#NCW} {@code (N, C, W)}, weights {@link WeightLayout#OIW} {@code (C_out, C_in/G, K)} for a
     * forward conv and {@link WeightLayout#IOW} {@code (C_in, C_out/G, K)} for a transposed conv; forward conv,
     * stride 1, dilation 1, groups 1, {@code valid}, zeros, bias on, no activation. For Keras weights and
     * channels-last data start from {@link #keras(int, int, int)} instead.
     *
     * @param inChannels {@code C_in}
     * @param outChannels {@code C_out}
     * @param kernelSize {@code K}
     * @return a builder
     */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, Framework.PYTORCH);
    }

    /**
     * Starts a spec as PyTorch's {@code nn.Conv1d} / {@code nn.ConvTranspose1d} lay out their tensors: activations
     * {@link Layout#NCW} {@code (N, C, W)}, weights {@link WeightLayout#OIW} {@code (C_out, C_in/G, K)} (forward)
     * or {@link WeightLayout#IOW} {@code (C_in, C_out/G, K)} (transposed, whenever {@link Builder#op(Op)} is
     * called). Other defaults as {@link #builder(int, int, int)}.
     *
     * @param inChannels {@code C_in} ({@code in_channels})
     * @param outChannels {@code C_out} ({@code out_channels})
     * @param kernelSize {@code K} ({@code kernel_size})
     * @return a builder
     */
    public static Builder pytorch(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, Framework.PYTORCH);
    }

    /**
     * Starts a spec as Keras' {@code Conv1D} / {@code Conv1DTranspose} lay out their tensors: activations
     * {@link Layout#NWC} {@code (N, W, C)} ({@code channels_last}), kernel {@link WeightLayout#WIO}
     * {@code (K, C_in/G, C_out)} (forward) or {@link WeightLayout#WOI} {@code (K, C_out, C_in)} (transposed,
     * whenever {@link Builder#op(Op)} is called). Other defaults as {@link #builder(int, int, int)}.
     *
     * @param inChannels {@code C_in} (the input's last dimension)
     * @param outChannels {@code C_out} ({@code filters})
     * @param kernelSize {@code K} ({@code kernel_size})
     * @return a builder
     */
    public static Builder keras(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, Framework.KERAS).layout(Layout.NWC);
    }

    /**
     * A builder holding this spec's values, its weight layout included (changing the op then needs a matching
     * weight layout).
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(inChannels, outChannels, kernelSize, Framework.PYTORCH);
        b.op = op;
        b.stride = stride;
        b.dilation = dilation;
        b.groups = groups;
        b.padding = padding;
        b.paddingMode = paddingMode;
        b.outputPadding = outputPadding;
        b.bias = bias;
        b.activation = activation;
        b.alpha = alpha;
        b.layout = layout;
        b.weightLayout = weightLayout;
        return b;
    }

    private void validate() {
        positive("in_channels (inChannels)", inChannels);
        positive("out_channels (outChannels)", outChannels);
        positive("kernel_size (kernelSize)", kernelSize);
        positive("stride", stride);
        positive("dilation", dilation);
        positive("groups", groups);
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("groups: in_channels (" + inChannels + ") must be divisible by groups ("
                    + groups + ")");
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("groups: out_channels (" + outChannels
                    + ") must be divisible by groups (" + groups + ")");
        }
        if ((long) dilation * (kernelSize - 1) + 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dilation: effective kernel dilation*(kernel_size-1)+1 overflows int");
        }
        if (weightLayout.op() != op) {
            throw new IllegalArgumentException("weight_layout (weightLayout): " + weightLayout + " is for " + weightLayout.op().wireName()
                    + ", not " + op.wireName() + " (use " + (op == Op.CONV1D ? "OIW or WIO" : "IOW or WOI") + ")");
        }
        if (weightLayout == WeightLayout.WOI && groups != 1) {
            throw new IllegalArgumentException("weight_layout (weightLayout): WOI (Keras Conv1DTranspose) has no groups; use IOW for groups "
                    + groups);
        }
        if (op == Op.CONV_TRANSPOSE1D) {
            if (padding.kind() == Padding.Kind.CAUSAL) {
                throw new IllegalArgumentException("padding: causal is for conv1d only");
            }
            if (paddingMode != PaddingMode.ZEROS) {
                throw new IllegalArgumentException("padding_mode (paddingMode): " + paddingMode.name().toLowerCase(java.util.Locale.ROOT)
                        + " is for conv1d only; a transposed conv pads with zeros");
            }
            if (outputPadding < 0 || outputPadding >= Math.max(stride, dilation)) {
                throw new IllegalArgumentException("output_padding (outputPadding): must be >= 0 and smaller than stride or dilation ("
                        + stride + ", " + dilation + "), got " + outputPadding);
            }
        } else if (outputPadding != 0) {
            throw new IllegalArgumentException("output_padding (outputPadding): only a transposed conv has output_padding, got "
                    + outputPadding);
        }
        if (!Float.isFinite((float) alpha)) {
            throw new IllegalArgumentException("alpha: must be finite in float32 (oneDNN's type), got " + alpha);
        }
        if (activation == Activation.CLIP && alpha < 0) {
            throw new IllegalArgumentException("alpha: clip's upper bound must be >= 0, got " + alpha);
        }
        // in double: exact enough to compare integers near 2^31, and three ints cannot overflow it
        int inPerGroup = inChannels / groups; // exact: groups divides inChannels (checked above)
        if ((double) outChannels * inPerGroup * kernelSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("kernel_size (kernelSize): the weights (" + outChannels + " x " + inChannels / groups
                    + " x " + kernelSize + ") exceed 2^31 elements");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": must be >= 1, got " + v);
        }
    }

    /**
     * Computes the widths for an input of width {@code width}.
     *
     * @param width the input width {@code W}
     * @return the geometry
     * @throws IllegalArgumentException when the width is not positive, the output would be empty, or the padding
     *     mode cannot pad that much
     */
    public Geometry geometry(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width: must be >= 1, got " + width);
        }
        int ke = effectiveKernel();
        return op == Op.CONV1D ? forwardGeometry(width, ke) : transposedGeometry(width, ke);
    }

    private Geometry forwardGeometry(int w, int ke) {
        long left;
        long right;
        switch (padding.kind()) {
            case VALID -> {
                left = 0;
                right = 0;
            }
            case SAME -> {
                long out = ((long) w + stride - 1) / stride;
                long total = Math.max((out - 1) * stride + ke - w, 0);
                left = total / 2;
                right = total - left;
            }
            case CAUSAL -> {
                left = ke - 1L;
                right = 0;
            }
            default -> {
                left = padding.left();
                right = padding.right();
            }
        }
        long padded = w + left + right;
        if ((left > 0 || right > 0) && padded > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("padding: width " + w + " padded by [" + left + ", " + right
                    + "] exceeds 2^31-9 columns");
        }
        if (padded < ke) {
            throw new IllegalArgumentException("width: " + w + " with padding [" + left + ", " + right
                    + "] is shorter than the effective kernel " + ke + " (kernel_size " + kernelSize + ", dilation "
                    + dilation + "): the output would be empty");
        }
        long out = (padded - ke) / stride + 1;
        checkPaddingMode(w, left, right);
        return new Geometry(w, checkedInt("output width", out), (int) left, (int) right, ke);
    }

    private void checkPaddingMode(int w, long left, long right) {
        if (paddingMode == PaddingMode.REFLECT && (left >= w || right >= w)) {
            throw new IllegalArgumentException("padding_mode (paddingMode): reflect needs padding smaller than the width " + w
                    + ", got [" + left + ", " + right + "]");
        }
        if (paddingMode == PaddingMode.CIRCULAR && (left > w || right > w)) {
            throw new IllegalArgumentException("padding_mode (paddingMode): circular needs padding at most the width " + w
                    + ", got [" + left + ", " + right + "]");
        }
    }

    private Geometry transposedGeometry(int w, int ke) {
        long full = (long) (w - 1) * stride + ke;
        long cropLeft;
        long out;
        switch (padding.kind()) {
            case VALID -> {
                cropLeft = 0;
                out = full + outputPadding;
            }
            case SAME -> {
                long total = Math.max(full - (long) w * stride, 0);
                cropLeft = total / 2;
                out = (long) w * stride + outputPadding;
            }
            default -> {
                cropLeft = padding.left();
                out = full - padding.left() - padding.right() + outputPadding;
            }
        }
        if (out < 1 || cropLeft >= full) {
            throw new IllegalArgumentException("padding: cropping " + padding + " from the transposed output of width "
                    + full + " leaves nothing of it");
        }
        long cropRight = full - cropLeft - out;
        return new Geometry(w, checkedInt("output width", out), checkedInt("padding", cropLeft),
                checkedInt("padding", cropRight), ke);
    }

    private static int checkedInt(String what, long v) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": " + v + " exceeds 2^31-1");
        }
        return (int) v;
    }

    /** @return {@code dilation*(K-1)+1} */
    public int effectiveKernel() {
        return dilation * (kernelSize - 1) + 1;
    }

    /** @return the number of weight elements: {@code C_out * C_in/G * K} */
    public int weightCount() {
        return outChannels * (inChannels / groups) * kernelSize;
    }

    /**
     * The weights' dimensions in this spec's {@link #weightLayout()}: {@code OIW (C_out, C_in/G, K)},
     * {@code WIO (K, C_in/G, C_out)}, {@code IOW (C_in, C_out/G, K)} or {@code WOI (K, C_out, C_in)}.
     *
     * @return a new array of three dimensions whose product is {@link #weightCount()}
     */
    public int[] weightShape() {
        int g = groups;
        return switch (weightLayout) {
            case OIW -> new int[] {outChannels, inChannels / g, kernelSize};
            case WIO -> new int[] {kernelSize, inChannels / g, outChannels};
            case IOW -> new int[] {inChannels, outChannels / g, kernelSize};
            case WOI -> new int[] {kernelSize, outChannels, inChannels};
        };
    }

    /** @return how many products one output sums at most: {@code C_in/G * K} */
    public int reductionLength() {
        return (inChannels / groups) * kernelSize;
    }

    /**
     * Floating-point operations of one call (a multiply and an add per product).
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return {@code 2 * N * C_out * OW * C_in/G * K} (forward) or {@code 2 * N * C_in * W * C_out/G * K} (transposed)
     */
    public double flops(int batch, int width) {
        int inPerGroup = inChannels / groups; // exact: groups divides both channel counts
        int outPerGroup = outChannels / groups;
        if (op == Op.CONV1D) {
            return 2.0 * batch * outChannels * geometry(width).outWidth() * inPerGroup * kernelSize;
        }
        return 2.0 * batch * inChannels * width * outPerGroup * kernelSize;
    }

    /** @return true where every group has one input channel and the depth multiplier is {@code C_out/C_in} */
    public boolean isDepthwise() {
        return groups == inChannels && groups > 1;
    }

    /** @return the op */
    public Op op() {
        return op;
    }

    /** @return {@code C_in} */
    public int inChannels() {
        return inChannels;
    }

    /** @return {@code C_out} */
    public int outChannels() {
        return outChannels;
    }

    /** @return {@code K} */
    public int kernelSize() {
        return kernelSize;
    }

    /** @return the stride */
    public int stride() {
        return stride;
    }

    /** @return the dilation as frameworks count it (1 = none) */
    public int dilation() {
        return dilation;
    }

    /** @return the number of groups */
    public int groups() {
        return groups;
    }

    /** @return the padding */
    public Padding padding() {
        return padding;
    }

    /** @return the padding mode */
    public PaddingMode paddingMode() {
        return paddingMode;
    }

    /** @return the transposed conv's output padding */
    public int outputPadding() {
        return outputPadding;
    }

    /** @return whether a bias is added */
    public boolean hasBias() {
        return bias;
    }

    /** @return the fused activation */
    public Activation activation() {
        return activation;
    }

    /** @return the activation's parameter */
    public double alpha() {
        return alpha;
    }

    /** @return the activation layout */
    public Layout layout() {
        return layout;
    }

    /** @return the weight layout */
    public WeightLayout weightLayout() {
        return weightLayout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv1dSpec s && s.op == op && s.inChannels == inChannels && s.outChannels == outChannels
                && s.kernelSize == kernelSize && s.stride == stride && s.dilation == dilation && s.groups == groups
                && s.padding.equals(padding) && s.paddingMode == paddingMode && s.outputPadding == outputPadding
                && s.bias == bias && s.activation == activation && Double.compare(s.alpha, alpha) == 0
                && s.layout == layout && s.weightLayout == weightLayout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, inChannels, outChannels, kernelSize, stride, dilation, groups, padding, paddingMode,
                outputPadding, bias, activation, alpha, layout, weightLayout);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(op.wireName()).append("(C_in=").append(inChannels).append(", C_out=")
                .append(outChannels).append(", K=").append(kernelSize).append(", stride=").append(stride)
                .append(", dilation=").append(dilation).append(", groups=").append(groups).append(", padding=")
                .append(padding);
        if (paddingMode != PaddingMode.ZEROS) {
            s.append(", padding_mode=").append(paddingMode.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (op == Op.CONV_TRANSPOSE1D) {
            s.append(", output_padding=").append(outputPadding);
        }
        s.append(", bias=").append(bias).append(", activation=").append(activation.wireName());
        if (activation.defaultAlpha() != 0 || alpha != 0) {
            s.append("(").append(alpha).append(")");
        }
        return s.append(", layout=").append(layout).append(", weights=").append(weightLayout).append(')').toString();
    }

    /** Whose tensor layouts a builder starts from; decides the weight layout when none is set. */
    private enum Framework {
        PYTORCH(WeightLayout.OIW, WeightLayout.IOW),
        KERAS(WeightLayout.WIO, WeightLayout.WOI);

        private final WeightLayout forward;
        private final WeightLayout transposed;

        Framework(WeightLayout forward, WeightLayout transposed) {
            this.forward = forward;
            this.transposed = transposed;
        }

        WeightLayout weightLayout(Op op) {
            return op == Op.CONV1D ? forward : transposed;
        }
    }

    /**
     * Collects a spec's values; {@link #build()} validates them. Every setter rejects {@code null} with an
     * {@link IllegalArgumentException} naming its parameter; numbers are checked by {@link #build()}.
     */
    public static final class Builder {
        private Op op = Op.CONV1D;
        private final int inChannels;
        private final int outChannels;
        private final int kernelSize;
        private final Framework framework;
        private int stride = 1;
        private int dilation = 1;
        private int groups = 1;
        private Padding padding = Padding.VALID;
        private PaddingMode paddingMode = PaddingMode.ZEROS;
        private int outputPadding;
        private boolean bias = true;
        private Activation activation = Activation.NONE;
        private double alpha = Double.NaN;
        private Layout layout = Layout.NCW;
        private WeightLayout weightLayout;

        private Builder(int inChannels, int outChannels, int kernelSize, Framework framework) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelSize = kernelSize;
            this.framework = framework;
        }

        private static <T> T nonNull(String name, T v) {
            if (v == null) {
                throw new IllegalArgumentException(name + ": must not be null");
            }
            return v;
        }

        /**
         * Sets the op. Unless {@link #weightLayout(WeightLayout)} is called, the weight layout follows it: the
         * starting point's forward layout ({@code OIW} or {@code WIO}) or transposed layout ({@code IOW} or
         * {@code WOI}).
         *
         * @param v the op
         * @return this
         */
        public Builder op(Op v) {
            this.op = nonNull("op", v);
            return this;
        }

        /**
         * Sets the stride.
         *
         * @param v the stride, at least 1 (default 1)
         * @return this
         */
        public Builder stride(int v) {
            this.stride = v;
            return this;
        }

        /**
         * Sets the dilation.
         *
         * @param v the dilation as frameworks count it, at least 1 (default 1 = none)
         * @return this
         */
        public Builder dilation(int v) {
            this.dilation = v;
            return this;
        }

        /**
         * Sets the groups.
         *
         * @param v the groups, dividing both channel counts (default 1); {@code C_in} for depthwise, with
         *     {@code C_out = m*C_in} for depth multiplier m
         * @return this
         */
        public Builder groups(int v) {
            this.groups = v;
            return this;
        }

        /**
         * Sets the padding.
         *
         * @param v the padding (default {@link Padding#VALID})
         * @return this
         */
        public Builder padding(Padding v) {
            this.padding = nonNull("padding", v);
            return this;
        }

        /**
         * Sets how padded positions are filled (forward conv only).
         *
         * @param v the padding mode (default {@link PaddingMode#ZEROS})
         * @return this
         */
        public Builder paddingMode(PaddingMode v) {
            this.paddingMode = nonNull("padding_mode (paddingMode)", v);
            return this;
        }

        /**
         * Sets the transposed conv's extra output positions on the right.
         *
         * @param v the output padding, smaller than stride or dilation (default 0)
         * @return this
         */
        public Builder outputPadding(int v) {
            this.outputPadding = v;
            return this;
        }

        /**
         * Sets whether a bias {@code (C_out)} is added.
         *
         * @param v whether there is a bias (default true)
         * @return this
         */
        public Builder bias(boolean v) {
            this.bias = v;
            return this;
        }

        /**
         * Sets the fused activation, with its default alpha.
         *
         * @param v the activation (default {@link Activation#NONE})
         * @return this
         */
        public Builder activation(Activation v) {
            this.activation = nonNull("activation", v);
            this.alpha = Double.NaN;
            return this;
        }

        /**
         * Sets the fused activation and its parameter.
         *
         * @param v the activation
         * @param alphaValue its parameter (the negative slope, ELU's alpha, clip's upper bound)
         * @return this
         */
        public Builder activation(Activation v, double alphaValue) {
            this.activation = nonNull("activation", v);
            this.alpha = alphaValue;
            if (Double.isNaN(alphaValue)) {
                throw new IllegalArgumentException("alpha: must be finite, got NaN");
            }
            return this;
        }

        /**
         * Sets the activation layout of the input and the output.
         *
         * @param v the layout (default {@link Layout#NCW}, or {@link Layout#NWC} from
         *     {@link Conv1dSpec#keras(int, int, int)})
         * @return this
         */
        public Builder layout(Layout v) {
            this.layout = nonNull("layout", v);
            return this;
        }

        /**
         * Sets the weight layout explicitly, instead of the starting point's layout for the op.
         *
         * @param v the weight layout; must belong to the op
         * @return this
         */
        public Builder weightLayout(WeightLayout v) {
            this.weightLayout = nonNull("weight_layout (weightLayout)", v);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the spec
         * @throws IllegalArgumentException naming the parameter that is impossible
         */
        public Conv1dSpec build() {
            return new Conv1dSpec(this);
        }
    }
}
