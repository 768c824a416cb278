package org.conv1d4j.spark;

import org.apache.spark.SparkConf;

/**
 * Threads per network call from Spark's own accounting: an executor runs {@code spark.executor.cores /
 * spark.task.cpus} tasks at once, so giving each call {@code spark.task.cpus} threads never asks for more threads
 * than the executor has cores.
 */
final class TaskThreads {
    private TaskThreads() {
    }

    /**
     * @param conf the application's configuration
     * @return {@code spark.task.cpus} (Spark's default 1)
     * @throws IllegalArgumentException naming {@code spark.task.cpus} when it is not a positive integer
     */
    static int of(SparkConf conf) {
        String v = conf.get("spark.task.cpus", "1");
        try {
            int t = Integer.parseInt(v.strip());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("spark.task.cpus: expected a positive integer, got '" + v + "'");
    }
}
