package org.conv1d4j.onnx;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.spi.NetReader;

/**
 * Reads ONNX models (opsets 13 to 21) for {@link org.conv1d4j.Conv1dNet#load(byte[])}, which finds this class
 * with {@link java.util.ServiceLoader}. Weights come from initializers and {@code Constant} nodes; subgraphs whose
 * inputs are all constants are evaluated at load time; anything outside the supported op set, attribute values,
 * ranks or data types is refused with an {@link InvalidInputException} naming the node, its op type and why.
 */
public final class OnnxNetReader implements NetReader {
    /** Creates the reader (the service loader calls this). */
    public OnnxNetReader() {
        // stateless
    }

    @Override
    public String format() {
        return "ONNX";
    }

    @Override
    public NetGraph read(byte[] model) {
        if (model == null) {
            throw new IllegalArgumentException("model: must not be null");
        }
        try {
            return OnnxImporter.read(model);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException
                | NegativeArraySizeException | ClassCastException e) {
            // a check this reader missed: still the one documented exception, never a crash of the caller
            throw new InvalidInputException("model: cannot be read (" + e + ")");
        }
    }
}
