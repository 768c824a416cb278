package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;

/**
 * What oneDNN is asked to run for one (batch, width) of an op: a pure, immutable description of one primitive,
 * computed by {@link Lowerer} from the spec, the engine's options, the batch and the caller's geometry, with no
 * native call. A builder in the engine only translates it into descriptors, attributes and a primitive.
 *
 * <p>The caller's geometry ({@link #user()}) and the primitive's ({@link #height()}, {@link #width()}) are kept
 * apart: the primitive may read a Java-made copy of the input ({@link #inputCopy()}), fold the dilation into the
 * height ({@link Variant#FOLDED}), or write fewer columns than the caller's output ({@link #biasTail()}).
 *
 * <p>A {@linkplain #bucketed() bucketed} lowering is the exact lowering of a bucket's geometry ({@link #user()} is
 * the bucket's, not a caller's): every call whose width maps to the bucket copies its input, padded as its own
 * geometry says, into {@link #inputCopy()} with a zero tail, and takes the first {@code OW} columns of the output.
 */
public final class Lowering {
    /** Which rule shaped the primitive. */
    public enum Variant {
        /** The Conv1D as it is: the height-1 convolution of the caller's input with oneDNN's zero padding. */
        PLAIN,
        /** A {@code valid} convolution of the padded input, which Java makes ({@link InputCopy} of step 1). */
        EDGE_PADDED,
        /** The dilation folded into the height: an undilated convolution of the view {@code (N, C, W/d, d)}. */
        FOLDED,
        /**
         * One output column: the dot product of the one window it reads, as a 1x1 convolution of width 1 whose
         * input channels are the window's {@code C_in * K} values (gathered in Java, or read in place).
         */
        SINGLE_WINDOW,
        /** A transposed Conv1D: oneDNN's deconvolution, its crops as padding. */
        TRANSPOSED
    }

    /** A data type of the primitive's memory. */
    public enum DataType {
        /** IEEE binary32. */
        F32,
        /** bfloat16. */
        BF16,
        /** Unsigned 8-bit activations and signed 8-bit weights, with their scales and the input's zero point. */
        INT8
    }

    private final Conv1dSpec spec;
    private final Mapping mapping;
    private final int batch;
    private final Geometry user;
    private final Variant variant;
    private final Axis height;
    private final Axis width;
    private final long inChannels;
    private final ActivationFormat format;
    private final WeightView weightView;
    private final InputCopy inputCopy;
    private final int biasTail;
    private final boolean reorderActivations;
    private final DataType compute;
    private final boolean bucketed;

    Lowering(Conv1dSpec spec, Mapping mapping, int batch, Geometry user, Variant variant, Axis height, Axis width,
             long inChannels, ActivationFormat format, WeightView weightView, InputCopy inputCopy, int biasTail,
             boolean reorderActivations, DataType compute) {
        this(spec, mapping, batch, user, variant, height, width, inChannels, format, weightView, inputCopy, biasTail,
                reorderActivations, compute, false);
    }

    private Lowering(Conv1dSpec spec, Mapping mapping, int batch, Geometry user, Variant variant, Axis height,
                     Axis width, long inChannels, ActivationFormat format, WeightView weightView, InputCopy inputCopy,
                     int biasTail, boolean reorderActivations, DataType compute, boolean bucketed) {
        if (mapping == Mapping.ONE_D && !height.isUnit()) {
            throw new IllegalStateException("a 1D lowering has no height: " + height);
        }
        this.spec = spec;
        this.mapping = mapping;
        this.batch = batch;
        this.user = user;
        this.variant = variant;
        this.height = height;
        this.width = width;
        this.inChannels = inChannels;
        this.format = format;
        this.weightView = weightView;
        this.inputCopy = inputCopy;
        this.biasTail = biasTail;
        this.reorderActivations = reorderActivations;
        this.compute = compute;
        this.bucketed = bucketed;
    }

    /**
     * This lowering run as a bucket: calls copy their input into {@code copy}, zero-tailed, and crop the output.
     *
     * @param copy the bucket's input copy: its width is the primitive's input width, step 1, the caller's layout
     * @return the bucketed lowering
     */
    Lowering asBucket(InputCopy copy) {
        if (inputCopy != null || biasTail != 0 || variant == Variant.SINGLE_WINDOW || variant == Variant.EDGE_PADDED) {
            throw new IllegalStateException("a bucket runs a plain, folded or transposed primitive, not " + this);
        }
        return new Lowering(spec, mapping, batch, user, variant, height, width, inChannels, format, weightView, copy,
                biasTail, reorderActivations, compute, true);
    }

    /**
     * @return whether this lowering runs a width bucket: {@link #user()} is the bucket's geometry, and each call
     *     copies its input into {@link #inputCopy()} and crops the output to its own width
     */
    public boolean bucketed() {
        return bucketed;
    }

    /** @return the op */
    public Conv1dSpec spec() {
        return spec;
    }

    /** @return how the Conv1D is described to oneDNN */
    public Mapping mapping() {
        return mapping;
    }

    /** @return {@code N} */
    public int batch() {
        return batch;
    }

    /** @return the caller's geometry: the widths of the caller's input and output */
    public Geometry user() {
        return user;
    }

    /** @return which rule shaped the primitive */
    public Variant variant() {
        return variant;
    }

    /** @return whether the primitive is oneDNN's {@code deconvolution_forward} (else {@code convolution_forward}) */
    public boolean isDeconvolution() {
        return variant == Variant.TRANSPOSED;
    }

    /** @return the primitive's height axis ({@link Axis#UNIT} but when folded) */
    public Axis height() {
        return height;
    }

    /** @return the primitive's width axis */
    public Axis width() {
        return width;
    }

    /** @return how Java copies the input for the primitive, or {@code null} where it reads the caller's input */
    public InputCopy inputCopy() {
        return inputCopy;
    }

    /** @return the caller's rightmost output columns the primitive does not write (they hold {@code f(bias)}) */
    public int biasTail() {
        return biasTail;
    }

    /** @return whether activations are asked in oneDNN's preferred format ({@code any}) and reordered around it */
    public boolean reorderActivations() {
        return reorderActivations;
    }

    /** @return the data type of the source and weights the primitive computes on (the destination is f32) */
    public DataType compute() {
        return compute;
    }

    /**
     * @return the plain format of the activations Java hands to oneDNN (the caller's, or the input copy's) and of
     *     the output it takes back, which the primitive reads and writes where no reorder is asked
     */
    public ActivationFormat userFormat() {
        return format;
    }

    /** @return how the caller's weights are read before oneDNN reorders them */
    public WeightView weightView() {
        return weightView;
    }

    /** @return the primitive's input channels {@code IC}: {@code C_in}, or {@code C_in * K} for a single window */
    public long inChannels() {
        return inChannels;
    }

    /** @return the source dims {@code (N, IC, IH, IW)} (2D) or {@code (N, IC, IW)} (1D) */
    public long[] srcDims() {
        return mapping.activationDims(batch, inChannels, height.in(), width.in());
    }

    /** @return the destination dims {@code (N, OC, OH, OW)} (2D) or {@code (N, OC, OW)} (1D) */
    public long[] dstDims() {
        return mapping.activationDims(batch, spec.outChannels(), height.out(), width.out());
    }

    /** @return the weight dims {@code (OC, IC/G, KH, KW)}, grouped {@code (G, OC/G, IC/G, KH, KW)}; no KH in 1D */
    public long[] weightDims() {
        return mapping.weightDims(spec.groups(), spec.outChannels(), inChannels, height.kernel(), width.kernel());
    }

    /** @return the strides {@code {SH, SW}} (2D) or {@code {SW}} (1D) */
    public long[] strides() {
        return mapping.spatial(height.stride(), width.stride());
    }

    /** @return oneDNN's dilations (framework dilation minus 1) */
    public long[] dilates() {
        return mapping.spatial(height.dilate(), width.dilate());
    }

    /** @return the left paddings {@code {PH_L, PW_L}} (2D) or {@code {PW_L}} (1D) */
    public long[] padLeft() {
        return mapping.spatial(height.padLeft(), width.padLeft());
    }

    /** @return the right paddings */
    public long[] padRight() {
        return mapping.spatial(height.padRight(), width.padRight());
    }

    /** @return the floats of the caller's input, {@code N * C_in * W} */
    public int srcElements() {
        return batch * spec.inChannels() * user.inWidth();
    }

    /** @return the floats of the caller's output, {@code N * C_out * OW} */
    public int dstElements() {
        return batch * spec.outChannels() * user.outWidth();
    }

    /** @return the floats of the input copy, or 0 where there is none */
    public int copyElements() {
        return inputCopy == null ? 0 : batch * spec.inChannels() * inputCopy.width();
    }

    /** @return the columns the primitive writes, {@code OW - biasTail} */
    public int primitiveOutWidth() {
        return user.outWidth() - biasTail;
    }

    @Override
    public String toString() {
        return variant + " " + mapping + " N=" + batch + " " + user + ": IC " + inChannels + ", H " + height + ", W "
                + width + ", " + format + ", " + weightView
                + (inputCopy == null ? "" : ", copy " + inputCopy) + (biasTail == 0 ? "" : ", bias tail " + biasTail)
                + (reorderActivations ? ", reordered" : "") + ", " + compute + (bucketed ? ", bucket" : "");
    }
}
