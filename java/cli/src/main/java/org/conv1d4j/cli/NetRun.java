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
    static int[] run(Path model, Path input, Path output, Engine engine, Layout layout, PrecisionOptions precision,
                     boolean allowNonFinite) throws IOException {
        Input x = Input.read(input, layout, allowNonFinite);
        NetOptions options = precision.apply(NetOptions.defaults().withEngine(engine).withLayout(layout));
        try (Conv1dNet net = Conv1dNet.load(model, options)) {
            x.requireFits(net);
            int[] shape = net.outputShape(x.batch(), x.width());
            Npy.write(output, shape, net.forward(x.data(), x.batch(), x.width()));
            return shape;
        }
    }

    /**
     * A network's input read from a {@code .npy} file.
     *
     * @param file the file's name, for messages
     * @param data the values in the caller's layout
     * @param layout the caller's layout
     * @param batch {@code N}
     * @param channels {@code C}
     * @param width {@code W}
     */
    // the data is the input as read, handed to the network; never compared by content
    @SuppressWarnings("ArrayRecordComponent")
    record Input(String file, float[] data, Layout layout, int batch, int channels, int width) {
        /**
         * Reads a 3-D input.
         *
         * @throws IllegalArgumentException (exit 2) when it is not 3-D or holds NaN or infinities (unless allowed)
         */
        static Input read(Path input, Layout layout, boolean allowNonFinite) throws IOException {
            Npy.Array x = Npy.read(input);
            String file = input.getFileName() == null ? input.toString() : input.getFileName().toString();
            int[] s = x.shape();
            if (s.length != 3) {
                throw new InvalidInputException("input: " + file + " has shape " + x.shapeString() + "; a network "
                        + "takes 3-D " + (layout == Layout.NCW ? "(N, C, W)" : "(N, W, C)"));
            }
            Cases.requireFinite(file, x.data(), allowNonFinite);
            return new Input(file, x.data(), layout, s[0], layout == Layout.NCW ? s[1] : s[2],
                    layout == Layout.NCW ? s[2] : s[1]);
        }

        /** @throws IllegalArgumentException (exit 2) when the channels are not the network's */
        void requireFits(Conv1dNet net) {
            if (channels != net.graph().inputChannels()) {
                throw new InvalidInputException("input: " + file + " in " + layout + " has " + channels
                        + " channels; the model's input '" + net.graph().inputName() + "' has "
                        + net.graph().inputChannels());
            }
        }
    }
}
