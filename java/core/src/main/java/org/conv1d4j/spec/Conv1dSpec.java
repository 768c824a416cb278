package org.conv1d4j.spec;

import java.util.Objects;

/**
 * An immutable Conv1D request in Keras / PyTorch vocabulary. Build one with {@link #builder(int, int, int)}.
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
        this.weightLayout = b.weightLayout != null ? b.weightLayout
                : (op == Op.CONV1D ? WeightLayout.OIW : WeightLayout.IOW);
        validate();
    }

    /**
     * Starts a spec. Defaults: forward conv, stride 1, dilation 1, groups 1, {@code valid}, zeros, bias, no
     * activation, {@link Layout#NCW}, PyTorch weight layout.
     *
     * @param inChannels {@code C_in}
     * @param outChannels {@code C_out}
     * @param kernelSize {@code K}
     * @return a builder
     */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    /** @return a builder holding this spec's values */
    public Builder toBuilder() {
        Builder b = new Builder(inChannels, outChannels, kernelSize);
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
        positive("in_channels", inChannels);
        positive("out_channels", outChannels);
        positive("kernel_size", kernelSize);
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
            throw new IllegalArgumentException("weight_layout: " + weightLayout + " is for " + weightLayout.op().wireName()
                    + ", not " + op.wireName() + " (use " + (op == Op.CONV1D ? "OIW or WIO" : "IOW or WOI") + ")");
        }
        if (weightLayout == WeightLayout.WOI && groups != 1) {
            throw new IllegalArgumentException("weight_layout: WOI (Keras Conv1DTranspose) has no groups; use IOW for groups "
                    + groups);
        }
        if (op == Op.CONV_TRANSPOSE1D) {
            if (padding.kind() == Padding.Kind.CAUSAL) {
                throw new IllegalArgumentException("padding: causal is for conv1d only");
            }
            if (paddingMode != PaddingMode.ZEROS) {
                throw new IllegalArgumentException("padding_mode: " + paddingMode.name().toLowerCase(java.util.Locale.ROOT)
                        + " is for conv1d only; a transposed conv pads with zeros");
            }
            if (outputPadding < 0 || outputPadding >= Math.max(stride, dilation)) {
                throw new IllegalArgumentException("output_padding: must be >= 0 and smaller than stride or dilation ("
                        + stride + ", " + dilation + "), got " + outputPadding);
            }
        } else if (outputPadding != 0) {
            throw new IllegalArgumentException("output_padding: only a transposed conv has output_padding, got "
                    + outputPadding);
        }
        if (!Float.isFinite((float) alpha)) {
            throw new IllegalArgumentException("alpha: must be finite in float32 (oneDNN's type), got " + alpha);
        }
        if (activation == Activation.CLIP && alpha < 0) {
            throw new IllegalArgumentException("alpha: clip's upper bound must be >= 0, got " + alpha);
        }
        // in double: exact enough to compare integers near 2^31, and three ints cannot overflow it
        if ((double) outChannels * (inChannels / groups) * kernelSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("kernel_size: the weights (" + outChannels + " x " + inChannels / groups
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
                left = ke - 1;
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
            throw new IllegalArgumentException("padding_mode: reflect needs padding smaller than the width " + w
                    + ", got [" + left + ", " + right + "]");
        }
        if (paddingMode == PaddingMode.CIRCULAR && (left > w || right > w)) {
            throw new IllegalArgumentException("padding_mode: circular needs padding at most the width " + w
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
        if (op == Op.CONV1D) {
            return 2.0 * batch * outChannels * geometry(width).outWidth() * (inChannels / groups) * kernelSize;
        }
        return 2.0 * batch * inChannels * width * (outChannels / groups) * kernelSize;
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

    /** Collects a spec's values; {@link #build()} validates them. */
    public static final class Builder {
        private Op op = Op.CONV1D;
        private final int inChannels;
        private final int outChannels;
        private final int kernelSize;
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

        private Builder(int inChannels, int outChannels, int kernelSize) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelSize = kernelSize;
        }

        /** @param v the op; a transposed conv defaults to the PyTorch {@code IOW} weight layout @return this */
        public Builder op(Op v) {
            this.op = Objects.requireNonNull(v, "op");
            return this;
        }

        /** @param v the stride, at least 1 @return this */
        public Builder stride(int v) {
            this.stride = v;
            return this;
        }

        /** @param v the dilation as frameworks count it (1 = none) @return this */
        public Builder dilation(int v) {
            this.dilation = v;
            return this;
        }

        /** @param v the groups; {@code C_in} for depthwise, with {@code C_out = m*C_in} for depth multiplier m @return this */
        public Builder groups(int v) {
            this.groups = v;
            return this;
        }

        /** @param v the padding @return this */
        public Builder padding(Padding v) {
            this.padding = Objects.requireNonNull(v, "padding");
            return this;
        }

        /** @param v how padded positions are filled (forward conv only) @return this */
        public Builder paddingMode(PaddingMode v) {
            this.paddingMode = Objects.requireNonNull(v, "paddingMode");
            return this;
        }

        /** @param v the transposed conv's extra output positions on the right @return this */
        public Builder outputPadding(int v) {
            this.outputPadding = v;
            return this;
        }

        /** @param v whether a bias {@code (C_out)} is added @return this */
        public Builder bias(boolean v) {
            this.bias = v;
            return this;
        }

        /** @param v the fused activation, with its default alpha @return this */
        public Builder activation(Activation v) {
            this.activation = Objects.requireNonNull(v, "activation");
            this.alpha = Double.NaN;
            return this;
        }

        /** @param v the fused activation @param alphaValue its parameter @return this */
        public Builder activation(Activation v, double alphaValue) {
            this.activation = Objects.requireNonNull(v, "activation");
            this.alpha = alphaValue;
            if (Double.isNaN(alphaValue)) {
                throw new IllegalArgumentException("alpha: must be finite, got NaN");
            }
            return this;
        }

        /** @param v the activation layout @return this */
        public Builder layout(Layout v) {
            this.layout = Objects.requireNonNull(v, "layout");
            return this;
        }

        /** @param v the weight layout @return this */
        public Builder weightLayout(WeightLayout v) {
            this.weightLayout = Objects.requireNonNull(v, "weightLayout");
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
