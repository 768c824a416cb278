package org.conv1d4j.nativeconfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions this build was made with, filtered in from the parent POM at build time. */
public final class Versions {
    private static final Properties PROPS = load();

    /** {@code org.bytedeco:dnnl} version. */
    public static final String DNNL = PROPS.getProperty("dnnl");
    /** {@code org.bytedeco:javacpp} version. */
    public static final String JAVACPP = PROPS.getProperty("javacpp");
    /** {@code org.bytedeco:opencl} version. */
    public static final String OPENCL = PROPS.getProperty("opencl");
    /** The platform classifier whose natives this build depends on. */
    public static final String PLATFORM = PROPS.getProperty("platform");
    /** conv1d4j's own version. */
    public static final String CONV1D4J = PROPS.getProperty("conv1d4j");

    private Versions() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing from conv1d4j-native-config");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
