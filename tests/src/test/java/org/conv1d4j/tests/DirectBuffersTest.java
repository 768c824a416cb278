package org.conv1d4j.tests;

import org.bytedeco.javacpp.FloatPointer;
import org.conv1d4j.DirectBuffers;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DirectBuffers#allocate(int)} the way it failed (issue 9): the outcome depended on where the allocation
 * landed, so every size 0..5000 and random large ones are allocated many times each, and every buffer must have
 * exactly the capacity asked for, a 64-byte aligned address, native order, position 0 and zeroed contents.
 */
class DirectBuffersTest {
    /** Allocations per size: a size that failed did so in 25 % to 75 % of the calls. */
    private static final int REPEATS = 16;

    @Test
    void everySizeUpTo5000() {
        for (int n = 0; n <= 5000; n++) {
            for (int i = 0; i < REPEATS; i++) {
                assertWellFormed(DirectBuffers.allocate(n), n);
            }
        }
    }

    @Test
    void randomLargeSizes() {
        Random r = new Random(9);
        for (int k = 0; k < 40; k++) {
            int n = 5001 + r.nextInt(4 << 20);
            for (int i = 0; i < 4; i++) {
                assertWellFormed(DirectBuffers.allocate(n), n);
            }
        }
    }

    @Test
    void badSizesNameTheParameter() {
        for (int n : new int[] {-1, Integer.MIN_VALUE, DirectBuffers.MAX_FLOATS + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirectBuffers.allocate(n));
            assertTrue(e.getMessage().startsWith("floats: must be in 0.." + DirectBuffers.MAX_FLOATS), e.getMessage());
        }
    }

    private static void assertWellFormed(FloatBuffer b, int n) {
        assertEquals(n, b.capacity(), "capacity");
        assertEquals(n, b.limit(), "limit");
        assertEquals(0, b.position(), "position");
        assertTrue(b.isDirect(), "direct");
        assertEquals(ByteOrder.nativeOrder(), b.order(), "order");
        long address = new FloatPointer(b).address();
        assertEquals(0, address % DirectBuffers.ALIGNMENT, "address " + address + " of " + n + " floats");
        for (int i = 0; i < n; i++) {
            if (b.get(i) != 0) {
                throw new AssertionError("element " + i + " of " + n + " is " + b.get(i) + ", not zero");
            }
        }
        if (n > 0) { // the last element is writable: the window is inside the allocation
            b.put(n - 1, 1f);
            assertEquals(1f, b.get(n - 1));
        }
    }
}
