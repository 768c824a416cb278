package org.conv1d4j;

import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

/**
 * How a {@link Conv1dNet} runs.
 *
 * @param engine the implementation; for now only {@link Engine#REFERENCE} runs networks
 * @param layout the layout of the caller's input and output: {@link Layout#NCW} (ONNX's) or {@link Layout#NWC}
 */
public record NetOptions(Engine engine, Layout layout) {

    /**
     * Checks and copies the arguments.
     *
     * @param engine the implementation; for now only {@link Engine#REFERENCE} runs networks
     * @param layout the layout of the caller's input and output: {@link Layout#NCW} (ONNX's) or {@link Layout#NWC}
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetOptions {
        if (engine == null) {
            throw new IllegalArgumentException("engine: must not be null");
        }
        if (layout == null) {
            throw new IllegalArgumentException("layout: must not be null");
        }
    }

    /** @return the reference engine on NCW data (the defaults while oneDNN networks are not yet implemented) */
    public static NetOptions defaults() {
        return new NetOptions(Engine.REFERENCE, Layout.NCW);
    }

    /**
     * @param e the engine
     * @return these options with that engine
     */
    public NetOptions withEngine(Engine e) {
        return new NetOptions(e, layout);
    }

    /**
     * @param l the layout of input and output
     * @return these options with that layout
     */
    public NetOptions withLayout(Layout l) {
        return new NetOptions(engine, l);
    }
}
