package org.conv1d4j.internal.kernel;

/**
 * Keeps the engines' entry points to the library's own API. The engines trust the arguments {@code Conv1d} has
 * checked and the close guard it runs, so they must not be reachable without it: {@code module-info} does not
 * export their packages (module path), and on the class path, where every public class is reachable, each entry
 * point asks this class whether its caller is this library's API package {@code org.conv1d4j} or one of its own
 * internal packages (the networks' reference engine runs convs on the reference kernel).
 */
public final class LibraryOnly {
    private static final String API_PACKAGE = "org.conv1d4j";
    private static final String INTERNAL_PACKAGES = "org.conv1d4j.internal.";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private LibraryOnly() {
    }

    /**
     * Throws unless the method that calls this one was called from the library's API package or its internal
     * packages (same module, same class loader). Costs a short stack walk, so only creation paths call it, never
     * {@code forward}.
     *
     * @throws IllegalCallerException when called from anywhere else
     */
    public static void requireLibraryCaller() {
        Class<?> caller = WALKER.walk(frames -> frames.skip(2).findFirst())
                .map(StackWalker.StackFrame::getDeclaringClass).orElse(null);
        if (caller == null || !(caller.getPackageName().equals(API_PACKAGE)
                || caller.getPackageName().startsWith(INTERNAL_PACKAGES))
                || caller.getModule() != LibraryOnly.class.getModule()
                || caller.getClassLoader() != LibraryOnly.class.getClassLoader()) {
            throw new IllegalCallerException("conv1d4j's engines are internal: create ops with org.conv1d4j.Conv1d"
                    + (caller == null ? "" : " (called from " + caller.getName() + ")"));
        }
    }
}
