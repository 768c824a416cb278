package org.conv1d4j.nativeconfig;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The runtime settings applied to oneDNN once, before the first primitive is built.
 *
 * <p>Each setting is read from a system property, else from an environment variable, else it keeps
 * oneDNN's own default:
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>system property</th><th>environment</th><th>values</th></tr>
 *   <tr><td>ISA cap</td><td>{@code conv1d4j.maxIsa}</td><td>{@code CONV1D4J_MAX_ISA}</td>
 *       <td>a oneDNN {@code cpu_isa} name such as {@code avx2}, {@code avx512_core}, {@code avx512_core_bf16};
 *       {@code default} for no cap</td></tr>
 *   <tr><td>primitive cache capacity</td><td>{@code conv1d4j.primitiveCacheCapacity}</td>
 *       <td>{@code CONV1D4J_PRIMITIVE_CACHE_CAPACITY}</td><td>0 or more primitives (oneDNN's default: 1024)</td></tr>
 *   <tr><td>verbose</td><td>{@code conv1d4j.verbose}</td><td>{@code CONV1D4J_VERBOSE}</td>
 *       <td>0 (off), 1 (execution), 2 (also creation): oneDNN prints to standard output</td></tr>
 *   <tr><td>threads</td><td>-</td><td>{@code OMP_NUM_THREADS}</td>
 *       <td>the OpenMP team size; libgomp reads it when the natives load, so it must be set before the JVM
 *       starts</td></tr>
 * </table>
 *
 * @param maxIsa the ISA cap name, or {@code null} for oneDNN's default
 * @param primitiveCacheCapacity the oneDNN primitive cache capacity, or -1 for oneDNN's default
 * @param verbose oneDNN's verbose level, or -1 for oneDNN's default
 * @param ompThreads the OpenMP team size the process was started with, or -1 where it was not set
 */
public record NativeSettings(String maxIsa, int primitiveCacheCapacity, int verbose, int ompThreads) {

    /** System property that caps the instruction set oneDNN may use. */
    public static final String MAX_ISA_PROPERTY = "conv1d4j.maxIsa";
    /** System property for oneDNN's primitive cache capacity. */
    public static final String PRIMITIVE_CACHE_PROPERTY = "conv1d4j.primitiveCacheCapacity";
    /** System property for oneDNN's verbose level. */
    public static final String VERBOSE_PROPERTY = "conv1d4j.verbose";

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public NativeSettings {
        if (maxIsa != null && !maxIsa.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException(MAX_ISA_PROPERTY + " must be a oneDNN cpu_isa name, got '" + maxIsa + "'");
        }
        if (primitiveCacheCapacity < -1) {
            throw new IllegalArgumentException(PRIMITIVE_CACHE_PROPERTY + " must be >= 0, got " + primitiveCacheCapacity);
        }
        if (verbose < -1 || verbose > 2) {
            throw new IllegalArgumentException(VERBOSE_PROPERTY + " must be 0, 1 or 2, got " + verbose);
        }
    }

    /**
     * Reads the settings of this process.
     *
     * @return the settings from system properties and the environment
     * @throws IllegalArgumentException when a value is malformed
     */
    public static NativeSettings fromEnvironment() {
        return from(System::getProperty, System.getenv());
    }

    /**
     * Reads settings from the given sources; visible for tests.
     *
     * @param properties looks up a system property by name
     * @param environment the environment variables
     * @return the settings
     */
    public static NativeSettings from(Function<String, String> properties, Map<String, String> environment) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(environment, "environment");
        String isa = pick(properties.apply(MAX_ISA_PROPERTY), environment.get("CONV1D4J_MAX_ISA"));
        return new NativeSettings(
                isa == null ? null : isa.toLowerCase(Locale.ROOT),
                parseInt(PRIMITIVE_CACHE_PROPERTY,
                        pick(properties.apply(PRIMITIVE_CACHE_PROPERTY), environment.get("CONV1D4J_PRIMITIVE_CACHE_CAPACITY"))),
                parseInt(VERBOSE_PROPERTY, pick(properties.apply(VERBOSE_PROPERTY), environment.get("CONV1D4J_VERBOSE"))),
                parseInt("OMP_NUM_THREADS", environment.get("OMP_NUM_THREADS")));
    }

    private static String pick(String property, String env) {
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        return env == null || env.isBlank() ? null : env.trim();
    }

    private static int parseInt(String name, String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }
}
