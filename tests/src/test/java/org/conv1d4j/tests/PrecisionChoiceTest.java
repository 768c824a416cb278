package org.conv1d4j.tests;

import org.conv1d4j.PrecisionChoice;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.Precision;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PrecisionChoice}: the choice is always within the tolerance, float32 when only float32 is, the fastest
 * measured candidate when every one is; the errors are ordered as the precisions' resolutions are. (Which precision
 * is fastest is the CPU's business and is not asserted.)
 */
class PrecisionChoiceTest {
    private static float[] gaussian(Random r, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * sigma);
        }
        return a;
    }

    @Test
    void choosesWithinTheToleranceAndTheFastestWhenAllAre() {
        Conv1dSpec spec = Conv1dSpec.builder(32, 48, 3).padding(Padding.SAME).build();
        Random r = new Random(2);
        float[] w = gaussian(r, spec.weightCount(), 0.2);
        float[] b = gaussian(r, 48, 0.1);
        float[] x = gaussian(r, 2 * 32 * 101, 1);
        Conv1dOptions base = Conv1dOptions.defaults();

        PrecisionChoice.Result strict = PrecisionChoice.fastestWithin(spec, w, b, base, x, 2, 101, 1e-5);
        assertEquals(Precision.F32, strict.chosen().precision(), strict.candidates().toString());
        PrecisionChoice.Candidate f32 = strict.candidates().get(0);
        PrecisionChoice.Candidate bf16 = strict.candidates().get(1);
        PrecisionChoice.Candidate int8 = strict.candidates().get(2);
        assertTrue(f32.maxRelativeError() < 1e-6, "float32 " + f32);
        assertTrue(bf16.maxRelativeError() > f32.maxRelativeError() && bf16.maxRelativeError() < 0.05, "bf16 " + bf16);
        assertTrue(int8.maxRelativeError() > 1e-4 && int8.maxRelativeError() < 0.1, "int8 " + int8);

        PrecisionChoice.Result loose = PrecisionChoice.fastestWithin(spec, w, b, base, x, 2, 101, 0.5);
        long fastest = loose.candidates().stream().mapToLong(PrecisionChoice.Candidate::medianNanos).min()
                .orElseThrow();
        assertEquals(fastest, loose.chosen().medianNanos(), loose.candidates().toString());
        assertTrue(loose.chosen().within());
        System.out.println("precision choice (tolerance 0.5): " + loose.chosen().precision() + " of "
                + loose.candidates());
    }

    @Test
    void refusesTheReferenceEngineAndBadTolerances() {
        Conv1dSpec spec = Conv1dSpec.builder(1, 1, 1).bias(false).build();
        float[] x = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> PrecisionChoice.fastestWithin(spec, new float[] {1}, null,
                Conv1dOptions.defaults().withEngine(Engine.REFERENCE), x, 1, 3, 0.1));
        assertThrows(IllegalArgumentException.class, () -> PrecisionChoice.fastestWithin(spec, new float[] {1}, null,
                Conv1dOptions.defaults(), x, 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> PrecisionChoice.fastestWithin(spec, new float[] {1}, null,
                Conv1dOptions.defaults(), new float[] {1, Float.NaN, 3}, 1, 3, 0.1));
    }
}
