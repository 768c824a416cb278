package org.conv1d4j.spark;

import org.conv1d4j.Conv1dNet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The networks of this JVM: one {@link Conv1dNet} per model content (SHA-256) and {@link NetSettings}, loaded by the
 * first task that needs it and shared by every later task and thread of the executor ({@link Conv1dNet} is
 * thread-safe). The networks live as long as the JVM: a shutdown hook closes them when it ends.
 */
final class NetRegistry {
    private static final Map<Key, Conv1dNet> NETS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NetRegistry::closeAll, "conv1d4j-spark-close-nets"));
    }

    private record Key(String sha256, NetSettings settings) {
    }

    private NetRegistry() {
    }

    /**
     * The network of a model, loaded on first use.
     *
     * @param sha256 the model's hash ({@link ModelBytes#sha256()})
     * @param settings how it runs
     * @param model gives the model's bytes; called only when this JVM has not loaded the model yet
     * @return the shared network (never close it: the registry does, when the JVM ends)
     * @throws org.conv1d4j.io.InvalidInputException when the model cannot be read
     */
    public static Conv1dNet net(String sha256, NetSettings settings, Supplier<byte[]> model) {
        return NETS.computeIfAbsent(new Key(sha256, settings), k -> {
            Conv1dNet net = Conv1dNet.load(model.get(), settings.toOptions());
            LOADS.incrementAndGet();
            return net;
        });
    }

    /** @return how many networks this JVM has loaded since it started (what the tests count) */
    public static int loads() {
        return LOADS.get();
    }

    private static void closeAll() {
        NETS.values().forEach(Conv1dNet::close);
        NETS.clear();
    }
}
