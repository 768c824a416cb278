package org.conv1d4j.spark;

import java.util.Locale;

/**
 * What {@link Conv1dTransformer} does with a row it cannot score (a null signal, one that is not {@code C x W} for
 * the model's {@code C}, one narrower than the network needs, or one holding NaN or an infinity), as Spark ML's
 * feature stages read their {@code handleInvalid} param.
 */
enum HandleInvalid {
    /** Fail the job, naming the row's position and the reason. */
    ERROR,
    /** Drop the row. */
    SKIP,
    /** Keep the row with a null output. */
    KEEP;

    /** @return the param's value: {@code error}, {@code skip} or {@code keep} */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the param's value.
     *
     * @param value {@code error}, {@code skip} or {@code keep}
     * @return the mode
     * @throws IllegalArgumentException naming {@code handleInvalid} for any other value
     */
    public static HandleInvalid fromParam(String value) {
        for (HandleInvalid h : values()) {
            if (h.paramValue().equals(value)) {
                return h;
            }
        }
        throw new IllegalArgumentException("handleInvalid: unknown '" + value + "' (expected error, skip or keep)");
    }
}
