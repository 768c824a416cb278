package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.WidthBuckets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Width buckets as plain numbers: the rule, the bucket of a call, the windows, and what each is lowered to. */
class BucketsTest {
    private static final Target TWO_D = new Target(Mapping.TWO_D, Precision.F32, NcwStrategy.AUTO);
    private static final WidthBuckets DEFAULT = WidthBuckets.defaults();

    @Test
    void theRuleRoundsUpAndDown() {
        assertEquals(64, DEFAULT.bucket(1));
        assertEquals(64, DEFAULT.bucket(64));
        assertEquals(128, DEFAULT.bucket(65));
        assertEquals(1152, DEFAULT.bucket(1025));
        assertEquals(0, DEFAULT.floor(63));
        assertEquals(64, DEFAULT.floor(127));
        assertEquals(1024, DEFAULT.floor(1151));
        assertEquals(1152, DEFAULT.floor(1152));
        for (int w = 64; w < 100_000; w += 7) {
            int f = DEFAULT.floor(w);
            assertTrue(f <= w && DEFAULT.bucket(f) == f && DEFAULT.bucket(w) >= w && DEFAULT.bucket(w) <= DEFAULT
                    .bucket(f + 1), w + ": floor " + f + ", bucket " + DEFAULT.bucket(w));
        }
        assertEquals(97, WidthBuckets.exact().bucket(97));
        assertThrows(IllegalArgumentException.class, () -> new WidthBuckets(8, 4, 8));
        assertThrows(IllegalArgumentException.class, () -> new WidthBuckets(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.bucket(0));
    }

    @Test
    void aStridedSameConvBucketsItsPaddedWidth() {
        Conv1dSpec spec = Conv1dSpec.builder(3, 5, 4).stride(3).padding(Padding.SAME).layout(Layout.NCW).build();
        Geometry g = spec.geometry(100); // OW 34, total padding 3: L 1, R 2
        int key = Buckets.key(spec, DEFAULT, 2, g);
        assertEquals(128, key);
        Geometry b = Buckets.geometry(spec, key, g);
        assertEquals(new Geometry(128, 42, 0, 0, 4), b);
        Lowering lw = Buckets.lower(spec, TWO_D, 2, b);
        assertTrue(lw.bucketed());
        assertEquals(Lowering.Variant.PLAIN, lw.variant());
        assertEquals(new InputCopy(128, 0, 1, Layout.NCW), lw.inputCopy());
        assertEquals(new Axis(128, 42, 4, 3, 0, 0, 0), lw.width());
    }

    @Test
    void aTransposedConvBucketsItsInputAndCropsNothingOnTheRight() {
        Conv1dSpec spec = Conv1dSpec.builder(4, 2, 3).op(Op.CONV_TRANSPOSE1D).stride(2).padding(Padding.explicit(1, 1))
                .outputPadding(1).layout(Layout.NWC).build();
        Geometry g = spec.geometry(10); // full 21, crop 1 and 0 (1 - output padding): OW 20
        int key = Buckets.key(spec, DEFAULT, 1, g);
        assertEquals(64, key);
        Geometry b = Buckets.geometry(spec, key, g);
        assertEquals(new Geometry(64, 128 - 1 + 3 - 1 - 1, 1, 0, 3), b);
        assertEquals(0, Buckets.lower(spec, TWO_D, 1, b).biasTail());
    }

    @Test
    void aSingleColumnOrAnEdgePaddedNwcConvKeepsItsPathOrCopies() {
        Conv1dSpec one = Conv1dSpec.builder(2, 2, 5).layout(Layout.NWC).build();
        assertEquals(Buckets.EXACT, Buckets.key(one, DEFAULT, 1, one.geometry(5)));
        assertEquals(0, Buckets.windows(one, DEFAULT, one.geometry(5)));
        Conv1dSpec reflect = Conv1dSpec.builder(2, 2, 3).padding(Padding.SAME).paddingMode(PaddingMode.REFLECT)
                .layout(Layout.NWC).build();
        assertEquals(0, Buckets.windows(reflect, DEFAULT, reflect.geometry(300)));
        assertEquals(320, Buckets.key(reflect, DEFAULT, 1, reflect.geometry(300)));
    }

    @Test
    void anNwcConvRunsInAFirstAndATailWindow() {
        Conv1dSpec spec = Conv1dSpec.builder(2, 3, 3).padding(Padding.SAME).layout(Layout.NWC).build();
        Geometry g = spec.geometry(200); // OW 200, L 1, R 1
        long w = Buckets.windows(spec, DEFAULT, g);
        assertEquals(192, (int) (w >>> 32));
        assertEquals(16, (int) w); // 8 columns left: below one step, tails are multiples of a quarter step
        assertEquals(1L << 32, Buckets.firstPads(spec, g, w));
        assertEquals(1, Buckets.tailRightPad(spec, g));
        assertEquals(183, Buckets.tailStart(spec, g, 16)); // output 184 reads input 183 onwards
        assertEquals(new Geometry(193, 192, 1, 0, 3), Buckets.window(spec, 192, 1, 0));
        assertEquals(new Geometry(17, 16, 0, 1, 3), Buckets.window(spec, 16, 0, 1));
        assertEquals(48, (int) Buckets.windows(spec, DEFAULT, spec.geometry(300))); // 300 = 256 + 44
        assertEquals(192, (int) Buckets.windows(spec, DEFAULT, spec.geometry(1300))); // 1152 + bucket(148)
        Geometry atBucket = spec.geometry(192);
        long one = Buckets.windows(spec, DEFAULT, atBucket);
        assertEquals(192L << 32, one);
        assertEquals(1L << 32 | 1, Buckets.firstPads(spec, atBucket, one));
        assertEquals(Lowering.Variant.PLAIN, Lowerer.lower(spec, TWO_D, 1, Buckets.window(spec, 192, 1, 1)).variant());
    }
}
