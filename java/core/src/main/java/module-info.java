/**
 * conv1d4j: Conv1D on oneDNN through the 2D {@code (N, C, 1, W)} mapping, with a pure-Java reference engine and the
 * cross-check. Users see four packages: {@link org.conv1d4j} (ops, the cross-check, direct buffers),
 * {@link org.conv1d4j.spec} (what to compute and how to run it), {@link org.conv1d4j.io} ({@code .npy} files) and
 * {@link org.conv1d4j.net} (networks). Model readers plug in through {@code org.conv1d4j.net.spi}, exported
 * to the ONNX reader module only.
 * The engines ({@code org.conv1d4j.internal.*}) are not exported.
 */
// the ONNX reader module is built after this one, so javac cannot see the target of the qualified export
@SuppressWarnings("module")
module org.conv1d4j {
    requires transitive org.conv1d4j.nativeconfig;

    exports org.conv1d4j;
    exports org.conv1d4j.spec;
    exports org.conv1d4j.io;
    exports org.conv1d4j.net;
    exports org.conv1d4j.net.spi to org.conv1d4j.onnx;

    uses org.conv1d4j.net.spi.NetReader;
}
