package org.conv1d4j.internal.onednn;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.conv1d4j.nativeconfig.Alignment;
import org.conv1d4j.nativeconfig.NativeOwner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A native float array owned by a {@link NativeOwner} whose first element sits on an {@link Alignment} boundary, as
 * every staging buffer conv1d4j hands to oneDNN does (malloc gives 16 bytes).
 */
final class AlignedFloats {
    private final View view;

    AlignedFloats(long floats, NativeOwner owner) {
        FloatPointer block = owner.own(new FloatPointer(floats + Alignment.BYTES / Float.BYTES));
        long skip = (Alignment.BYTES - block.address() % Alignment.BYTES) % Alignment.BYTES;
        view = new View(block.address() + skip, floats);
    }

    /** @return the aligned address of element 0 */
    long address() {
        return view.address();
    }

    /** @return the floats as a pointer (for bulk copies from Java arrays); not owning */
    FloatPointer pointer() {
        return view;
    }

    /** @return a new buffer over the floats */
    FloatBuffer asBuffer() {
        return view.asBuffer();
    }

    /**
     * @param first the index of the first float
     * @param floats how many
     * @return a new buffer over {@code floats} floats from {@code first}
     */
    FloatBuffer slice(long first, long floats) {
        return new View(view.address() + first * Float.BYTES, floats).asBuffer();
    }

    /**
     * @param firstByte the offset of the first byte
     * @param bytes how many, at most 2^31 - 1
     * @return a new byte buffer over those bytes
     */
    ByteBuffer bytes(long firstByte, long bytes) {
        BytePointer p = new BytePointer(new View(view.address() + firstByte, bytes / Float.BYTES));
        return p.capacity(bytes).limit(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** A non-owning pointer at the aligned start. */
    private static final class View extends FloatPointer {
        View(long address, long floats) {
            this.address = address;
            this.limit = floats;
            this.capacity = floats;
        }
    }
}
