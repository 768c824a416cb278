package org.conv1d4j.net.spi;

import org.conv1d4j.net.NetGraph;

/**
 * Reads a model file into a {@link NetGraph}. {@link org.conv1d4j.Conv1dNet#load(byte[])} finds the
 * implementation with {@link java.util.ServiceLoader}; the artifact {@code org.conv1d4j:conv1d4j-onnx} provides the
 * ONNX one. This package is exported to that module only.
 */
public interface NetReader {
    /** @return the format this reader reads, e.g. {@code ONNX} */
    String format();

    /**
     * Reads a whole model.
     *
     * @param model the file's bytes (not modified)
     * @return the validated network
     * @throws org.conv1d4j.io.InvalidInputException for anything it cannot read or does not support, naming the
     *     node, its op type and why; never any other exception for bad bytes
     */
    NetGraph read(byte[] model);
}
