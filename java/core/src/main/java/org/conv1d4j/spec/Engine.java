package org.conv1d4j.spec;

/** Which implementation runs an op; chosen when the op is created. */
public enum Engine {
    /**
     * oneDNN through the 2D mapping (the default): activations {@code (N, C, 1, W)}, weights {@code (O, I/G, 1, K)}
     * or {@code (G, O/G, I/G, 1, K)}, padding {@code {0, L}} / {@code {0, R}}, the way TensorFlow runs a Conv1D.
     * The CLI calls it {@code onednn} or {@code onednn-2d}.
     */
    ONEDNN_2D("onednn"),
    /** oneDNN through its own 1D descriptors ({@code ncw}/{@code nwc}); kept to compare against the 2D mapping. */
    ONEDNN_1D("onednn-1d"),
    /** Plain Java loops with double accumulation: the definition of the right answer, not fast. */
    REFERENCE("reference");

    private final String cliName;

    Engine(String cliName) {
        this.cliName = cliName;
    }

    /** @return the name the CLI prints: {@code onednn}, {@code onednn-1d} or {@code reference} */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses an engine name as the CLI takes it: {@code onednn} or {@code onednn-2d}, {@code onednn-1d},
     * {@code reference}; the constant names ({@code ONEDNN_2D}, ...) are accepted too, in any case.
     *
     * @param name the name
     * @return the engine
     * @throws IllegalArgumentException for any other name
     */
    public static Engine fromCliName(String name) {
        String n = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (n.equals("onednn-2d")) {
            return ONEDNN_2D;
        }
        for (Engine e : values()) {
            if (e.cliName.equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine: unknown '" + name
                + "' (expected onednn (= onednn-2d), onednn-1d or reference)");
    }
}
