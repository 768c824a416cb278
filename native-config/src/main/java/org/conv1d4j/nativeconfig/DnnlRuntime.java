package org.conv1d4j.nativeconfig;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

import java.util.Locale;

/**
 * Loads the oneDNN natives once, applies {@link NativeSettings} before any primitive exists, and owns the
 * process-wide CPU engine (a oneDNN engine is thread-safe and shared by every op).
 */
public final class DnnlRuntime {
    private static final Object LOCK = new Object();
    private static volatile DnnlRuntime instance;
    private static volatile RuntimeException failure;

    private final engine cpuEngine;
    private final NativeSettings settings;

    private DnnlRuntime(NativeSettings settings) {
        this.settings = settings;
        apply(settings);
        this.cpuEngine = new engine(engine.kind.cpu, 0);
    }

    /**
     * Returns the runtime, loading the natives on the first call.
     *
     * @return the loaded runtime
     * @throws NativeUnavailableException when the natives for this platform are missing
     * @throws IllegalArgumentException when a setting is malformed
     */
    // natives load once per process: a failure is final, and every later call reports the same cause
    @SuppressWarnings("StaticAssignmentOfThrowable")
    public static DnnlRuntime get() {
        DnnlRuntime r = instance;
        if (r != null) {
            return r;
        }
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            if (failure != null) {
                throw failure;
            }
            NativeSettings settings = NativeSettings.fromEnvironment();
            try {
                Loader.load(dnnl.class);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
                failure = missingNatives(e);
                throw failure;
            }
            instance = new DnnlRuntime(settings);
            return instance;
        }
    }

    private static NativeUnavailableException missingNatives(Throwable cause) {
        String platform = Loader.getPlatform();
        return new NativeUnavailableException("oneDNN natives for platform '" + platform + "' could not be loaded ("
                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + "). Add the dependency "
                + "org.bytedeco:dnnl:" + Versions.DNNL + ":" + platform + " (with org.bytedeco:javacpp:" + Versions.JAVACPP
                + ":" + platform + " and org.bytedeco:opencl:" + Versions.OPENCL + ":" + platform
                + "), or build conv1d4j with -Djavacpp.platform=" + platform
                + ". The reference engine does not need them.", cause);
    }

    private static void apply(NativeSettings s) {
        if (s.maxIsa() != null && !s.maxIsa().equals("default")) {
            int isa = isaCode(s.maxIsa());
            check(dnnl.dnnl_set_max_cpu_isa(isa), "conv1d4j.maxIsa=" + s.maxIsa());
        }
        if (s.primitiveCacheCapacity() >= 0) {
            check(dnnl.dnnl_set_primitive_cache_capacity(s.primitiveCacheCapacity()),
                    "conv1d4j.primitiveCacheCapacity=" + s.primitiveCacheCapacity());
        }
        if (s.verbose() >= 0) {
            check(dnnl.dnnl_set_verbose(s.verbose()), "conv1d4j.verbose=" + s.verbose());
        }
    }

    private static int isaCode(String name) {
        try {
            return dnnl.class.getField("dnnl_cpu_isa_" + name).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("conv1d4j.maxIsa: unknown oneDNN cpu_isa '" + name
                    + "' (try avx2, avx512_core, avx512_core_vnni, avx512_core_bf16)");
        }
    }

    private static void check(int status, String what) {
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN rejected " + what + " (status " + status + ")");
        }
    }

    /** @return the shared CPU engine */
    public engine engine() {
        return cpuEngine;
    }

    /** @return the settings that were applied */
    public NativeSettings settings() {
        return settings;
    }

    /** @return oneDNN's version as {@code major.minor.patch} */
    public String dnnlVersion() {
        var v = dnnl.dnnl_version();
        return v.major() + "." + v.minor() + "." + v.patch();
    }

    /** @return the instruction set oneDNN dispatches to, such as {@code avx512_core_bf16} */
    public String effectiveIsa() {
        return dnnl.get_effective_cpu_isa().toString().toLowerCase(Locale.ROOT);
    }

    /** @return the OpenMP team size oneDNN uses for one call */
    public int threads() {
        return settings.ompThreads() > 0 ? settings.ompThreads() : Runtime.getRuntime().availableProcessors();
    }
}
