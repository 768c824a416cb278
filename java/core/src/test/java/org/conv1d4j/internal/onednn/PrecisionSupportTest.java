package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Precision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which oneDNN ISA levels run bf16 natively, by the names {@code dnnl::get_effective_cpu_isa} reports. */
class PrecisionSupportTest {
    @Test
    void bf16IsNativeFromAvx512Bf16AndOnAmxAndAvx10() {
        for (String isa : new String[] {"avx512_core_bf16", "avx512_core_amx", "avx10_1_512_amx", "avx10_1_512",
            "avx10_1_512_amx_fp16", "avx2_vnni_2", "AVX512_CORE_BF16"}) {
            assertTrue(Precision.BF16.isNativeOn(isa), isa);
        }
    }

    @Test
    void bf16IsEmulatedBelow() {
        for (String isa : new String[] {"avx512_core_vnni", "avx512_core", "avx2_vnni", "avx2", "avx", "sse41"}) {
            assertFalse(Precision.BF16.isNativeOn(isa), isa);
        }
    }

    @Test
    void f32IsNativeEverywhereAndNullIsRefused() {
        assertTrue(Precision.F32.isNativeOn("sse41"));
        assertThrows(IllegalArgumentException.class, () -> Precision.BF16.isNativeOn(null));
    }
}
