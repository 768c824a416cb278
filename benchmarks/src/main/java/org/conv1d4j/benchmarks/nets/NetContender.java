package org.conv1d4j.benchmarks.nets;

/**
 * One way to run a network on one input: set up once, then {@link #run()} computes the output from the same input
 * array into the same output array, as a service's steady state would.
 */
public interface NetContender extends AutoCloseable {
    /** Runs the network once. */
    void run();

    /** @return the output of the last {@link #run()}, in the contender's layout (the array itself, not a copy) */
    float[] output();

    /** Frees what the contender holds. */
    @Override
    void close();
}
