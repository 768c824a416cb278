package org.conv1d4j.io;

/** A file or request that cannot be used: malformed, inconsistent, or outside what the library supports. */
public final class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file or field */
    public InvalidInputException(String message) {
        super(message);
    }
}
