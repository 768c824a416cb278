package org.conv1d4j.nativeconfig;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import java.io.File;
import java.io.IOException;

/**
 * How many OpenMP threads oneDNN uses for work started from the calling thread. oneDNN in these presets runs on
 * OpenMP, and a primitive fixes its thread count when it is built, from the building thread's
 * {@code omp_get_max_threads()}; OpenMP keeps that setting per thread. Setting it on the calling thread before a
 * primitive is built therefore gives primitives that use one core each (throughput: many Java threads, no
 * oversubscription) or every core (latency). The setter is OpenMP's own {@code omp_set_num_threads}, found in the
 * libgomp the presets load and called through a tiny JNI shim built for {@code linux-x86_64}.
 */
public final class OmpThreads {
    private static final String SHIM = "linux-x86_64/libconv1d4j-omp.so";
    private static volatile Functions functions;

    private OmpThreads() {
    }

    private record Functions(long set, long getMax, int defaultThreads) {
    }

    /**
     * @return the thread count a thread has before anyone sets it ({@code OMP_NUM_THREADS} or the cores)
     * @throws UnsupportedOperationException when the shim or OpenMP is missing on this platform
     */
    public static int defaultThreads() {
        return functions().defaultThreads;
    }

    /** @return whether the shim was loaded, i.e. some thread's count may have been changed */
    public static boolean loaded() {
        return functions != null;
    }

    /** @return whether per-thread control works on this platform (the shim and OpenMP were found) */
    public static boolean available() {
        try {
            functions();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Sets the calling thread's OpenMP thread count for parallel work it starts from now on.
     *
     * @param n threads, at least 1
     * @throws UnsupportedOperationException when the shim or OpenMP is missing on this platform
     */
    public static void setForThisThread(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, got " + n);
        }
        setNumThreads0(functions().set, n);
    }

    /**
     * @return the calling thread's OpenMP thread count
     * @throws UnsupportedOperationException when the shim or OpenMP is missing on this platform
     */
    public static int forThisThread() {
        return getMaxThreads0(functions().getMax);
    }

    private static Functions functions() {
        Functions f = functions;
        if (f != null) {
            return f;
        }
        synchronized (OmpThreads.class) {
            if (functions == null) {
                functions = load();
            }
            return functions;
        }
    }

    private static Functions load() {
        DnnlRuntime.get(); // loads oneDNN and with it libgomp
        if (!"linux-x86_64".equals(Loader.getPlatform())) {
            throw new UnsupportedOperationException("per-thread OpenMP control is built for linux-x86_64 only, not "
                    + Loader.getPlatform());
        }
        long set = address("omp_set_num_threads");
        long getMax = address("omp_get_max_threads");
        if (set == 0 || getMax == 0) {
            throw new UnsupportedOperationException("OpenMP's omp_set_num_threads was not found in the loaded natives");
        }
        try {
            File lib = Loader.cacheResource(OmpThreads.class, SHIM);
            if (lib == null) {
                throw new UnsupportedOperationException("the OpenMP shim " + SHIM + " is not in this build");
            }
            System.load(lib.getAbsolutePath());
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new UnsupportedOperationException("the OpenMP shim could not be loaded: " + e.getMessage(), e);
        }
        return new Functions(set, getMax, getMaxThreads0(getMax));
    }

    private static long address(String symbol) {
        Pointer p = Loader.addressof(symbol);
        return p == null ? 0 : p.address();
    }

    private static native void setNumThreads0(long fn, int n);

    private static native int getMaxThreads0(long fn);
}
