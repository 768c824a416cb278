package org.conv1d4j.benchmarks.peers;

/** A peer runtime set up for one Conv1D over preallocated tensors, as {@code shared/peers.md} describes. */
@SuppressWarnings("try") // close() may throw anything a peer throws, InterruptedException included
interface PeerConv extends AutoCloseable {
    /** Runs one convolution. */
    void run() throws Exception;

    /** @return the output of the last run, in the peer's layout */
    float[] output() throws Exception;

    @Override
    void close() throws Exception;
}
