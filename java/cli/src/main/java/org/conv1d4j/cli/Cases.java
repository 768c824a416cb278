package org.conv1d4j.cli;


/** Rules the CLI applies to case data beyond what the readers check. */
final class Cases {
    private Cases() {
    }

    /**
     * Rejects non-finite data unless allowed: in a case file it is almost always a mistake, and with
     * {@code --allow-non-finite} it propagates as IEEE arithmetic says.
     */
    static void requireFinite(Conv1dCase c, boolean allowed) {
        if (allowed) {
            return;
        }
        check("input.npy", c.input());
        check("weight.npy", c.weights());
        if (c.bias() != null) {
            check("bias.npy", c.bias());
        }
    }

    /** Rejects non-finite values of one file unless allowed, as {@link #requireFinite(Conv1dCase, boolean)}. */
    static void requireFinite(String file, float[] data, boolean allowed) {
        if (!allowed) {
            check(file, data);
        }
    }

    private static void check(String file, float[] data) {
        int bad = 0;
        for (float v : data) {
            bad += Float.isFinite(v) ? 0 : 1;
        }
        if (bad > 0) {
            throw new IllegalArgumentException(file + ": " + bad + " non-finite values (NaN/Inf); pass --allow-non-finite "
                    + "to let them propagate");
        }
    }
}
