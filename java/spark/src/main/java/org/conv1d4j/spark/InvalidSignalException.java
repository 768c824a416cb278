package org.conv1d4j.spark;

/** Why one row's signal cannot be scored; {@link PartitionScorer} turns it into an error, a skip or a null. */
final class InvalidSignalException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param reason what is wrong with the signal, e.g. {@code NaN at [2][17]} */
    InvalidSignalException(String reason) {
        super(reason);
    }
}
