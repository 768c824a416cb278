package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@code forward} on live oneDNN ops with arbitrary buffers (direct or heap, either byte order, read-only,
 * any capacity, position and limit), batch sizes and widths, on both the array and the buffer overloads. Only
 * {@link IllegalArgumentException} may escape. A call that is accepted must match the reference within
 * {@link CrossCheck}'s bound and must not write a single float outside the output's
 * {@code [position, position + needed)} window. Input and output are sometimes two windows on the same memory.
 */
class ForwardFuzzTest {
    private static final int MAX_FLOATS = 1 << 14;
    private static final Conv1dSpec[] SPECS = {
            Conv1dSpec.builder(3, 4, 3).padding(Padding.SAME).layout(Layout.NWC).build(),
            Conv1dSpec.builder(4, 4, 3).groups(4).dilation(2).padding(Padding.CAUSAL).build(),
            Conv1dSpec.builder(2, 6, 2).stride(2).padding(Padding.explicit(1, 0)).paddingMode(PaddingMode.REFLECT).build(),
            Conv1dSpec.builder(4, 2, 4).op(Op.CONV_TRANSPOSE1D).stride(3).padding(Padding.explicit(2, 4))
                    .layout(Layout.NWC).build(),
    };
    private static final Conv1d[] OPS = new Conv1d[SPECS.length];
    private static final CrossCheck[] CHECKS = new CrossCheck[SPECS.length];

    static {
        Random r = new Random(11);
        for (int i = 0; i < SPECS.length; i++) {
            float[] w = uniform(r, SPECS[i].weightCount());
            float[] b = uniform(r, SPECS[i].outChannels());
            OPS[i] = Conv1d.create(SPECS[i], w, b, Engine.ONEDNN_2D);
            CHECKS[i] = new CrossCheck(SPECS[i], w, b);
        }
    }

    @FuzzTest(maxDuration = "")
    void acceptedCallsAreExactAndStayInBounds(FuzzedDataProvider data) {
        int which = data.consumeInt(0, OPS.length - 1);
        Conv1d op = OPS[which];
        int batch = data.consumeBoolean() ? data.consumeInt(-1, 4) : data.consumeInt();
        int width = data.consumeBoolean() ? data.consumeInt(-1, 40) : data.consumeInt();
        Random r = new Random(data.consumeLong());
        if (data.consumeBoolean()) {
            float[] input = uniform(r, data.consumeInt(0, MAX_FLOATS));
            float[] output;
            try {
                output = op.forward(input, batch, width);
            } catch (IllegalArgumentException rejected) {
                return;
            }
            assertTrue(CHECKS[which].compare(output, input, batch, width).passed(), "array path disagrees");
            return;
        }
        FloatBuffer input = buffer(data, r);
        FloatBuffer output = data.consumeInt(0, 7) == 0 ? view(input, data) : buffer(data, r);
        float[] before = contents(output);
        int inPos = input.position();
        int outPos = output.position();
        try {
            op.forward(input, output, batch, width);
        } catch (IllegalArgumentException rejected) {
            assertTrue(java.util.Arrays.equals(before, contents(output)), "a rejected call wrote to its output");
            return;
        }
        assertEquals(inPos, input.position(), "input position moved");
        assertEquals(outPos, output.position(), "output position moved");
        int in = batch * SPECS[which].inChannels() * width;
        int out = batch * SPECS[which].outChannels() * op.outputWidth(width);
        float[] x = new float[in];
        input.get(inPos, x);
        float[] y = new float[out];
        output.get(outPos, y);
        assertTrue(CHECKS[which].compare(y, x, batch, width).passed(), "buffer path disagrees");
        float[] after = contents(output);
        for (int i = 0; i < after.length; i++) {
            if (i < outPos || i >= outPos + out) {
                assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]),
                        "wrote outside the output window at " + i);
            }
        }
    }

    /** A float buffer of arbitrary kind, size, position and limit, filled with random values. */
    private static FloatBuffer buffer(FuzzedDataProvider data, Random r) {
        int capacity = data.consumeInt(0, MAX_FLOATS);
        boolean direct = data.consumeInt(0, 7) != 0;
        ByteOrder order = data.consumeInt(0, 7) != 0 ? ByteOrder.nativeOrder() : ByteOrder.BIG_ENDIAN;
        FloatBuffer b = direct ? ByteBuffer.allocateDirect(capacity * Float.BYTES).order(order).asFloatBuffer()
                : FloatBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            b.put(i, r.nextFloat() * 2 - 1);
        }
        int limit = data.consumeInt(0, capacity);
        b.limit(limit).position(data.consumeInt(0, limit));
        return data.consumeInt(0, 15) == 0 ? b.asReadOnlyBuffer() : b;
    }

    /** Another window on the same memory, which may or may not overlap the first. */
    private static FloatBuffer view(FloatBuffer b, FuzzedDataProvider data) {
        FloatBuffer v = b.duplicate().clear();
        int limit = data.consumeInt(0, v.capacity());
        return v.limit(limit).position(data.consumeInt(0, limit));
    }

    /** Every float of the buffer's capacity, whatever its position and limit. */
    private static float[] contents(FloatBuffer b) {
        float[] a = new float[b.capacity()];
        b.duplicate().clear().get(a);
        return a;
    }

    private static float[] uniform(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }
}
