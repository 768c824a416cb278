package org.conv1d4j.nativeconfig;

/**
 * Thrown on the first use of a oneDNN engine when the natives for this platform cannot be loaded.
 * The message names the platform classifier that is missing and the dependency that provides it.
 * The pure-Java reference engine does not need the natives and keeps working.
 */
public final class NativeUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
