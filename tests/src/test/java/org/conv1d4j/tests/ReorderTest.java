package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No reorder runs whose source and destination descriptors are equal: each direction is reordered only where the
 * primitive's descriptor differs from the caller's (a bf16 primitive converts its input, but its f32 output often
 * has the caller's format already). Every path that reorders is covered: bf16 on NWC and NCW, plain and grouped,
 * padded, dilated (folded) and transposed, and f32 NCW through the preferred layout.
 */
class ReorderTest {
    static Stream<Arguments> paths() {
        Conv1dSpec nwc = Conv1dSpec.keras(16, 24, 3).padding(Padding.SAME).build();
        return Stream.of(
                Arguments.of("bf16 NWC", nwc, Precision.BF16, NcwStrategy.AUTO),
                Arguments.of("bf16 NCW", Conv1dSpec.pytorch(16, 24, 3).padding(Padding.SAME).build(), Precision.BF16,
                        NcwStrategy.AUTO),
                Arguments.of("bf16 NWC depthwise", Conv1dSpec.keras(16, 16, 5).groups(16).build(), Precision.BF16,
                        NcwStrategy.AUTO),
                Arguments.of("bf16 NWC reflect", Conv1dSpec.keras(16, 24, 3).padding(Padding.SAME)
                        .paddingMode(org.conv1d4j.spec.PaddingMode.REFLECT).build(), Precision.BF16, NcwStrategy.AUTO),
                Arguments.of("bf16 NWC folded", Conv1dSpec.keras(16, 24, 3).dilation(4).padding(Padding.CAUSAL).build(),
                        Precision.BF16, NcwStrategy.AUTO),
                Arguments.of("bf16 NWC transposed", Conv1dSpec.keras(16, 8, 4).op(org.conv1d4j.spec.Op.CONV_TRANSPOSE1D)
                        .stride(2).build(), Precision.BF16, NcwStrategy.AUTO),
                Arguments.of("f32 NCW reorder", Conv1dSpec.pytorch(16, 24, 3).padding(Padding.SAME).build(),
                        Precision.F32, NcwStrategy.REORDER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void eachDirectionIsReorderedOnlyWhereTheDescriptorsDiffer(String name, Conv1dSpec spec, Precision precision,
                                                               NcwStrategy ncw) {
        Random r = new Random(name.hashCode());
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        float[] b = RandomCase.uniform(r, spec.outChannels(), 0.1f);
        int batch = 3;
        int width = 64;
        float[] x = RandomCase.uniform(r, batch * spec.inChannels() * width, 1);
        Conv1dOptions options = Conv1dOptions.defaults().withPrecision(precision).withNcwStrategy(ncw);
        try (Conv1d op = Conv1d.create(spec, w, b, options)) {
            PlanReport plan = op.describe(batch, width).orElseThrow();
            System.out.println(name + ": input reordered " + plan.reordersInput() + ", output reordered "
                    + plan.reordersOutput() + " (" + plan.dst() + " vs caller " + plan.userDst() + ")");
            // the same dims and format print the same: a reorder runs exactly where the strings differ (or the type,
            // which the strings do not show, differs: bf16 input)
            assertEquals(!plan.dst().equals(plan.userDst()), plan.reordersOutput(), plan.toString());
            if (precision == Precision.BF16) {
                assertTrue(plan.reordersInput(), "a bf16 primitive needs its input converted: " + plan);
            } else {
                assertEquals(!plan.src().equals(plan.userSrc()), plan.reordersInput(), plan.toString());
            }
            CrossCheck.Report report = CrossCheck.of(op, w, b).check(op, x, batch, width);
            assertTrue(report.passed(), name + ": " + report);
        }
    }
}
