package org.conv1d4j.cli;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads a case folder: {@code case.json}, {@code input.npy}, {@code weight.npy}, {@code bias.npy} (exactly when
 * {@code "bias": true}) and, optionally, {@code expected.npy}. Every inconsistency is an
 * {@link InvalidInputException} naming the file and field.
 */
public final class CaseReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("op", "layout", "weight_layout", "in_channels", "out_channels",
            "kernel_size", "stride", "dilation", "groups", "padding", "padding_mode", "output_padding", "bias",
            "activation", "alpha");
    private static final long MAX_JSON_BYTES = 1 << 20;

    private CaseReader() {
    }

    /**
     * Reads the spec of {@code case.json}.
     *
     * @param caseJson the file
     * @return the spec
     * @throws IOException when the file cannot be read
     * @throws InvalidInputException when it is malformed or names an impossible spec
     */
    public static Conv1dSpec readSpec(Path caseJson) throws IOException {
        if (Files.size(caseJson) > MAX_JSON_BYTES) {
            throw new InvalidInputException("case.json: larger than 1 MiB");
        }
        JsonNode root;
        try {
            root = JSON.readTree(utf8(Files.readAllBytes(caseJson)));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("case.json: not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("case.json: must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new InvalidInputException("case.json: unknown key '" + k + "'");
            }
        }
        try {
            Op op = root.has("op") ? Op.fromWireName(text(root, "op")) : Op.CONV1D;
            Conv1dSpec.Builder b = Conv1dSpec.builder(integer(root, "in_channels", -1), integer(root, "out_channels", -1),
                    integer(root, "kernel_size", -1)).op(op);
            b.stride(integer(root, "stride", 1)).dilation(integer(root, "dilation", 1)).groups(integer(root, "groups", 1));
            b.padding(padding(root.get("padding")));
            if (root.has("padding_mode")) {
                b.paddingMode(PaddingMode.fromName(text(root, "padding_mode")));
            }
            b.outputPadding(integer(root, "output_padding", 0));
            if (root.has("bias")) {
                JsonNode v = root.get("bias");
                if (!v.isBoolean()) {
                    throw new InvalidInputException("case.json: bias must be true or false");
                }
                b.bias(v.booleanValue());
            }
            Activation act = root.has("activation") ? Activation.fromWireName(text(root, "activation")) : Activation.NONE;
            if (root.has("alpha") && !root.get("alpha").isNull()) {
                JsonNode a = root.get("alpha");
                if (!a.isNumber()) {
                    throw new InvalidInputException("case.json: alpha must be a number");
                }
                b.activation(act, a.doubleValue());
            } else {
                b.activation(act);
            }
            Layout layout = root.has("layout") ? enumValue(Layout.class, "layout", text(root, "layout")) : Layout.NCW;
            b.layout(layout);
            if (root.has("weight_layout")) {
                b.weightLayout(enumValue(WeightLayout.class, "weight_layout", text(root, "weight_layout")));
            }
            return b.build();
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("case.json: " + e.getMessage());
        }
    }

    /**
     * JSON is UTF-8 (RFC 8259); decoding strictly here keeps Jackson from guessing UTF-16 or UTF-32 and failing with
     * an {@link java.io.IOException} that would read as a file error.
     */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("case.json: not UTF-8 text");
        }
    }

    /**
     * Reads a whole case folder.
     *
     * @param dir the folder
     * @return the case
     * @throws IOException when a file cannot be read
     * @throws InvalidInputException when a file is malformed or the files do not fit together
     */
    public static Conv1dCase read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + " (not a case folder)");
        }
        Conv1dSpec spec = readSpec(dir.resolve("case.json"));
        Npy.Array input = Npy.read(dir.resolve("input.npy"));
        if (input.shape().length != 3) {
            throw new InvalidInputException("input.npy: expected 3 dims " + (spec.layout() == Layout.NCW ? "(N, C_in, W)"
                    : "(N, W, C_in)") + ", got " + input.shapeString());
        }
        int batch = input.shape()[0];
        int channels = spec.layout() == Layout.NCW ? input.shape()[1] : input.shape()[2];
        int width = spec.layout() == Layout.NCW ? input.shape()[2] : input.shape()[1];
        if (channels != spec.inChannels()) {
            throw new InvalidInputException("input.npy: has " + channels + " channels in layout " + spec.layout()
                    + ", case.json says in_channels " + spec.inChannels());
        }
        if (batch < 1 || width < 1) {
            throw new InvalidInputException("input.npy: batch and width must be >= 1, shape " + input.shapeString());
        }
        try {
            spec.geometry(width);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("input.npy: " + e.getMessage());
        }
        Npy.Array weight = Npy.read(dir.resolve("weight.npy"));
        expectShape("weight.npy", weight, spec.weightShape());
        float[] bias = null;
        Path biasFile = dir.resolve("bias.npy");
        if (spec.hasBias()) {
            if (!Files.exists(biasFile)) {
                throw new InvalidInputException("bias.npy: missing, but case.json says bias true");
            }
            Npy.Array b = Npy.read(biasFile);
            expectShape("bias.npy", b, new int[] {spec.outChannels()});
            bias = b.data();
        } else if (Files.exists(biasFile)) {
            throw new InvalidInputException("bias.npy: present, but case.json says bias false");
        }
        float[] expected = null;
        Path expectedFile = dir.resolve("expected.npy");
        Conv1dCase c = new Conv1dCase(String.valueOf(dir.getFileName()), spec, batch, width, input.data(), weight.data(),
                bias, null);
        if (Files.exists(expectedFile)) {
            Npy.Array e = Npy.read(expectedFile);
            expectShape("expected.npy", e, c.outputShape());
            expected = e.data();
        }
        return new Conv1dCase(c.name(), spec, batch, width, input.data(), weight.data(), bias, expected);
    }

    private static void expectShape(String file, Npy.Array a, int[] shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new InvalidInputException(file + ": expected shape " + new Npy.Array(shape, null).shapeString()
                    + ", got " + a.shapeString());
        }
    }

    private static Padding padding(JsonNode p) {
        if (p == null || p.isNull()) {
            return Padding.VALID;
        }
        if (p.isTextual()) {
            return switch (p.textValue()) {
                case "valid" -> Padding.VALID;
                case "same" -> Padding.SAME;
                case "causal" -> Padding.CAUSAL;
                default -> throw new InvalidInputException("case.json: padding '" + p.textValue()
                        + "' is not valid, same, causal or [left, right]");
            };
        }
        if (p.isArray() && p.size() == 2 && p.get(0).canConvertToInt() && p.get(1).canConvertToInt()
                && p.get(0).isIntegralNumber() && p.get(1).isIntegralNumber()) {
            return Padding.explicit(p.get(0).intValue(), p.get(1).intValue());
        }
        throw new InvalidInputException("case.json: padding must be valid, same, causal or [left, right] integers");
    }

    private static String text(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (!v.isTextual()) {
            throw new InvalidInputException("case.json: " + key + " must be a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode root, String key, int dflt) {
        JsonNode v = root.get(key);
        if (v == null) {
            if (dflt < 0) {
                throw new InvalidInputException("case.json: " + key + " is missing");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidInputException("case.json: " + key + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        throw new InvalidInputException("case.json: " + key + " '" + value + "' is not one of "
                + Arrays.toString(type.getEnumConstants()));
    }
}
