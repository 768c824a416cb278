package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.memory;
import org.conv1d4j.internal.lowering.ActivationFormat;
import org.conv1d4j.internal.lowering.Mapping;

/** oneDNN's format tags for the layouts conv1d4j hands over, and for a tensor shaped like another. */
final class FormatTags {
    private FormatTags() {
    }

    static memory.format_tag of(ActivationFormat f) {
        return switch (f) {
            case NCHW -> memory.format_tag.nchw;
            case NHWC -> memory.format_tag.nhwc;
            case NCW -> memory.format_tag.ncw;
            case NWC -> memory.format_tag.nwc;
        };
    }

    /**
     * The tag of {@code like}'s format (e.g. {@code aBcd16b}) for a tensor of {@code ndims} dims, so that a copy of
     * part of it keeps its layout; the plain channels-first tag where the format has no name.
     */
    static memory.format_tag like(memory.desc like, int ndims, Mapping mapping) {
        if (like.get_format_kind().value == memory.format_kind.blocked.value && like.get_ndims() == ndims) {
            try {
                return memory.format_tag.valueOf(Descriptors.formatTag(like, ndims));
            } catch (IllegalArgumentException e) { // a format oneDNN has no tag for
                // fall through to the plain one
            }
        }
        return mapping == Mapping.TWO_D ? memory.format_tag.nchw : memory.format_tag.ncw;
    }
}
