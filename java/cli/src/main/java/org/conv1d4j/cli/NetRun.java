package org.conv1d4j.cli;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code run --model}: an ONNX network on a 3-D {@code .npy} input in the caller's layout, the output written as
 * float32 {@code .npy} in the same layout.
 */
final class NetRun {
    private NetRun() {
    }

    /**
     * Runs the model.
     *
     * @return the output's shape, as written
     * @throws IllegalArgumentException (exit 2) for a bad model, input, engine or layout, naming it
     */
    static int[] run(Path model, Path input, Path output, Engine engine, Layout layout, boolean allowNonFinite)
            throws IOException {
        Npy.Array x = Npy.read(input);
        String file = input.getFileName() == null ? input.toString() : input.getFileName().toString();
        int[] s = x.shape();
        if (s.length != 3) {
            throw new InvalidInputException("input: " + file + " has shape " + x.shapeString() + "; a network takes 3-D "
                    + (layout == Layout.NCW ? "(N, C, W)" : "(N, W, C)"));
        }
        Cases.requireFinite(file, x.data(), allowNonFinite);
        int batch = s[0];
        int channels = layout == Layout.NCW ? s[1] : s[2];
        int width = layout == Layout.NCW ? s[2] : s[1];
        NetOptions options = NetOptions.defaults().withEngine(engine).withLayout(layout);
        try (Conv1dNet net = Conv1dNet.load(model, options)) {
            if (channels != net.graph().inputChannels()) {
                throw new InvalidInputException("input: " + file + " " + x.shapeString() + " in " + layout + " has "
                        + channels + " channels; the model's input '" + net.graph().inputName() + "' has "
                        + net.graph().inputChannels());
            }
            int[] shape = net.outputShape(batch, width);
            Npy.write(output, shape, net.forward(x.data(), batch, width));
            return shape;
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(e.getMessage() + " (--engine reference runs networks)", e);
        }
    }
}
