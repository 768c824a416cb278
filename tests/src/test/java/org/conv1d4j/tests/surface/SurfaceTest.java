package org.conv1d4j.tests.surface;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The library's public surface is closed: on the module path only the API packages are exported, and on the class
 * path (where every public class is reachable) no engine class can be constructed or entered by a user. Checked
 * over every class the core artifact contains, so classes added later are covered too.
 */
class SurfaceTest {
    private static final Set<String> API = Set.of("org.conv1d4j", "org.conv1d4j.spec", "org.conv1d4j.io",
            "org.conv1d4j.net");
    private static final String INTERNAL = "org.conv1d4j.internal";
    /** The packages whose every public class is an engine class. */
    private static final Set<String> ENGINE_PACKAGES = Set.of(INTERNAL + ".kernel", INTERNAL + ".onednn",
            INTERNAL + ".reference");

    @Test
    void moduleExportsOnlyTheApiPackagesToEveryone() throws Exception {
        ModuleReference core = coreModule();
        ModuleDescriptor d = core.descriptor();
        assertEquals("org.conv1d4j", d.name());
        Set<String> unqualified = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API), unqualified, "packages exported to everyone");
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) {
                assertTrue(e.targets().stream().allMatch(t -> t.startsWith("org.conv1d4j.")),
                        "a qualified export goes to conv1d4j's own modules only: " + e);
            }
        }
        assertTrue(d.opens().isEmpty() && !d.isOpen(), "core opens nothing to reflection: " + d.opens());
        assertTrue(d.packages().stream().anyMatch(p -> p.startsWith(INTERNAL)), "the engines are in the module");
    }

    /**
     * Engine classes (those that hold or reach native state: oneDNN objects, native memory, kernels) have no public
     * constructors and refuse every outside caller at their public entry points. The other public classes of the
     * internal packages are pure descriptions (the lowering's values) that engines share across packages: on the
     * module path they are not exported, on the class path they can be made but lead nowhere, since no engine entry
     * point takes them from outside. This test enumerates every internal class and holds each to its rule.
     */
    @Test
    void noEngineClassCanBeConstructedOrEnteredFromOutside() throws Exception {
        List<Class<?>> internal = internalClasses();
        assertTrue(internal.size() > 10, "found the engine classes: " + internal);
        List<String> problems = new ArrayList<>();
        List<String> pure = new ArrayList<>();
        for (Class<?> c : internal) {
            if (!Modifier.isPublic(c.getModifiers()) || !isReachable(c)) {
                continue; // package-private (or nested in one): not usable from another package
            }
            if (!isEngine(c)) {
                pure.add(c.getName());
                continue;
            }
            for (Constructor<?> k : c.getConstructors()) {
                problems.add(c.getName() + ": public constructor " + k);
            }
            for (Method m : c.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != c) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = zero(m.getParameterTypes()[i]);
                }
                try {
                    m.invoke(null, args);
                    problems.add(c.getName() + "." + m.getName() + ": callable from outside the library");
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof IllegalCallerException)) {
                        problems.add(c.getName() + "." + m.getName() + ": threw " + e.getCause()
                                + " instead of IllegalCallerException");
                    }
                }
            }
        }
        System.out.println("public pure descriptions in internal packages: " + pure);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    /** Whether a class is an engine: in an engine package, a kernel, or touching native types in its members. */
    private static boolean isEngine(Class<?> c) throws ClassNotFoundException {
        String pkg = c.getPackageName();
        if (ENGINE_PACKAGES.contains(pkg)) {
            return true;
        }
        Class<?> kernel = Class.forName(INTERNAL + ".kernel.Kernel");
        if (kernel.isAssignableFrom(c)) {
            return true;
        }
        List<Class<?>> types = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            types.add(f.getType());
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            types.addAll(List.of(k.getParameterTypes()));
        }
        for (Method m : c.getDeclaredMethods()) {
            types.add(m.getReturnType());
            types.addAll(List.of(m.getParameterTypes()));
        }
        for (Class<?> t : types) {
            while (t.isArray()) {
                t = t.getComponentType();
            }
            if (t.getName().startsWith("org.bytedeco.") || t.getName().startsWith("org.conv1d4j.nativeconfig.")
                    || ENGINE_PACKAGES.contains(t.getPackageName()) || kernel.isAssignableFrom(t)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theApiStillCreatesOps() {
        Conv1dSpec spec = Conv1dSpec.builder(1, 1, 1).bias(false).build();
        try (Conv1d op = Conv1d.create(spec, new float[] {2f}, null)) {
            assertEquals(6f, op.forward(new float[] {3f}, 1, 1)[0]);
        }
        IllegalCallerException e = assertThrows(IllegalCallerException.class,
                () -> callEntry("org.conv1d4j.internal.kernel.LibraryOnly", "requireLibraryCaller"));
        assertTrue(e.getMessage().contains("org.conv1d4j.Conv1d"), e.getMessage());
    }

    private static void callEntry(String cls, String method) throws Throwable {
        try {
            Class.forName(cls).getMethod(method).invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean isReachable(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static Object zero(Class<?> t) {
        if (!t.isPrimitive()) {
            return null;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t == char.class) {
            return (char) 0;
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == float.class) {
            return 0f;
        }
        if (t == double.class) {
            return 0d;
        }
        if (t == byte.class) {
            return (byte) 0;
        }
        if (t == short.class) {
            return (short) 0;
        }
        return 0;
    }

    private static Path coreLocation() throws URISyntaxException {
        return Path.of(Conv1d.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleReference coreModule() throws URISyntaxException {
        return ModuleFinder.of(coreLocation()).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info in the core artifact"));
    }

    private static List<Class<?>> internalClasses() throws Exception {
        List<String> names = new ArrayList<>();
        try (var reader = coreModule().open(); Stream<String> entries = reader.list()) {
            entries.filter(n -> n.startsWith(INTERNAL.replace('.', '/')) && n.endsWith(".class"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            Class<?> c = Class.forName(n, false, Conv1d.class.getClassLoader());
            assertFalse(API.contains(c.getPackageName()));
            out.add(c);
        }
        return out;
    }
}
