package org.conv1d4j.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser for exactly the JSON a safetensors header holds: one object whose members are tensors,
 * {@code {"dtype": STRING, "shape": [INT, ...], "data_offsets": [INT, INT]}} with those three keys and no others, and
 * at most one {@code "__metadata__"} object of string to string. Integers are non-negative, without sign, fraction,
 * exponent or leading zeros. The header starts with its opening brace, as the format's own reader requires; whitespace
 * may follow every token (writers pad the header with spaces to a multiple of 8 bytes). Duplicate
 * names are refused. Nothing nests deeper than the shape arrays, so the parser cannot recurse away.
 */
final class SafeTensorsHeader {
    /** The key of the optional metadata member. */
    static final String METADATA = "__metadata__";

    /**
     * One tensor's entry as the header declares it, before it is checked against the data.
     *
     * @param name the tensor's name
     * @param dtype the dtype string
     * @param shape the dims
     * @param begin the first byte in the data section
     * @param end one past the last byte
     */
    // the parsed dims, held as read; entries are not compared or hashed
    @SuppressWarnings("ArrayRecordComponent")
    record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private final String text;
    private final String source;
    private int pos;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private SafeTensorsHeader(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** @return the tensors, in the order the header lists them */
    List<Entry> entries() {
        return entries;
    }

    /** @return the metadata, empty when the header has none */
    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Parses a header.
     *
     * @param text the header's characters
     * @param source the file's name, for messages
     * @return the parsed header
     * @throws InvalidInputException naming the file, the tensor where one is involved, and what is wrong
     */
    static SafeTensorsHeader parse(String text, String source) {
        SafeTensorsHeader h = new SafeTensorsHeader(text, source);
        h.parseTop();
        return h;
    }

    private void parseTop() {
        expect('{', "the header must be a JSON object starting at its first byte");
        Set<String> names = new HashSet<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                String name = string("a tensor name");
                if (!names.add(name)) {
                    throw bad("tensor '" + name + "' is declared twice");
                }
                skipSpace();
                expect(':', "expected ':' after '" + name + "'");
                skipSpace();
                if (name.equals(METADATA)) {
                    parseMetadata();
                } else {
                    entries.add(parseTensor(name));
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect('}', "expected ',' or '}' after '" + name + "'");
                break;
            }
        }
        skipSpace();
        if (pos != text.length()) {
            throw bad("the header has characters after its JSON object, at " + pos);
        }
    }

    private void parseMetadata() {
        expect('{', "__metadata__ must be an object of strings");
        skipSpace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            String key = string("a metadata key");
            skipSpace();
            expect(':', "expected ':' after metadata key '" + key + "'");
            skipSpace();
            String value = string("the string value of metadata key '" + key + "'");
            if (metadata.putIfAbsent(key, value) != null) {
                throw bad("metadata key '" + key + "' appears twice");
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect('}', "expected ',' or '}' in __metadata__");
            return;
        }
    }

    private Entry parseTensor(String name) {
        String what = "tensor '" + name + "': ";
        expect('{', what + "must be an object with dtype, shape and data_offsets");
        Map<String, Object> fields = new HashMap<>();
        skipSpace();
        if (peek() != '}') {
            while (true) {
                skipSpace();
                String key = string(what + "a key");
                skipSpace();
                expect(':', what + "expected ':' after '" + key + "'");
                skipSpace();
                Object value = switch (key) {
                    case "dtype" -> string(what + "dtype");
                    case "shape" -> integers(what + "shape");
                    case "data_offsets" -> integers(what + "data_offsets");
                    default -> throw bad(what + "unknown key '" + key + "' (only dtype, shape and data_offsets)");
                };
                if (fields.put(key, value) != null) {
                    throw bad(what + "'" + key + "' appears twice");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                break;
            }
        }
        expect('}', what + "expected ',' or '}'");
        for (String key : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!fields.containsKey(key)) {
                throw bad(what + "has no " + key);
            }
        }
        long[] offsets = (long[]) fields.get("data_offsets");
        if (offsets.length != 2) {
            throw bad(what + "data_offsets must hold two integers [begin, end], got " + offsets.length);
        }
        return new Entry(name, (String) fields.get("dtype"), (long[]) fields.get("shape"), offsets[0], offsets[1]);
    }

    private long[] integers(String what) {
        expect('[', what + " must be an array of integers");
        List<Long> values = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                values.add(integer(what));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect(']', what + ": expected ',' or ']'");
                break;
            }
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private long integer(String what) {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw bad(what + ": expected a non-negative integer at " + start);
        }
        if (pos - start > 1 && text.charAt(start) == '0') {
            throw bad(what + ": integer with a leading zero at " + start);
        }
        if (pos < text.length() && ".eE".indexOf(text.charAt(pos)) >= 0) {
            throw bad(what + ": expected an integer, got a fraction or exponent at " + start);
        }
        if (pos - start > 18) {
            throw bad(what + ": integer " + text.substring(start, pos) + " is too large");
        }
        return Long.parseLong(text, start, pos, 10);
    }

    private String string(String what) {
        expect('"', "expected " + what + " as a string");
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw bad("unterminated string (" + what + ")");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                throw bad("control character in a string (" + what + ")");
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw bad("unterminated escape (" + what + ")");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> s.append(hex4(what));
                default -> throw bad("bad escape '\\" + e + "' (" + what + ")");
            }
        }
    }

    private char hex4(String what) {
        if (pos + 4 > text.length()) {
            throw bad("truncated \\u escape (" + what + ")");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
                throw bad("bad \\u escape (" + what + ")");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private void expect(char c, String message) {
        if (peek() != c) {
            throw bad(message + (pos < text.length() ? " (at " + pos + ")" : " (the header ends)"));
        }
        pos++;
    }

    private InvalidInputException bad(String why) {
        return new InvalidInputException(source + ": bad safetensors header: " + why);
    }
}
