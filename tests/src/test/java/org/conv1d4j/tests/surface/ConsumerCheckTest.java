package org.conv1d4j.tests.surface;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user gets from Maven: a throwaway project that depends on {@code org.conv1d4j:conv1d4j} alone, from the
 * local repository, compiles and runs the README's Java snippet, and its dependency tree holds no Jackson and no
 * picocli; the -sources and -javadoc jars lie beside it for an IDE. Runs in the integration-test phase of
 * {@code mvn install}, after the library is installed.
 */
class ConsumerCheckTest {
    /** The line the README puts right before the snippet's code fence. */
    static final String MARKER = "<!-- consumer-check -->";

    @TempDir
    Path project;

    @Test
    void readmeSnippetBuildsAndRunsInAFreshProject() throws Exception {
        String version = System.getProperty("conv1d4j.version");
        Path readme = Path.of(System.getProperty("conv1d4j.readme", "../README.md"));
        String snippet = snippet(Files.readString(readme));
        Files.writeString(project.resolve("pom.xml"), pom(version));
        Path src = Files.createDirectories(project.resolve("src/main/java/example"));
        Files.writeString(src.resolve("Main.java"), """
                package example;

                import org.conv1d4j.*;
                import org.conv1d4j.spec.*;
                import java.nio.*;
                import java.util.*;

                public final class Main {
                    public static void main(String[] args) throws Exception {
                %s
                        System.out.println("consumer-check: ok");
                    }
                }
                """.formatted(snippet.indent(8)));

        Result build = run(maven(), "-B", "-q", "-f", project.resolve("pom.xml").toString(), localRepo(),
                "compile", "dependency:tree", "-DoutputFile=" + project.resolve("tree.txt"),
                "dependency:build-classpath", "-Dmdep.outputFile=" + project.resolve("classpath.txt"));
        assertEquals(0, build.code(), "the consumer project builds:\n" + build.output());

        String tree = Files.readString(project.resolve("tree.txt"));
        System.out.println("consumer-check: the library's dependency tree\n" + tree);
        assertFalse(tree.contains("com.fasterxml.jackson"), "no Jackson:\n" + tree);
        assertFalse(tree.contains("info.picocli"), "no picocli:\n" + tree);
        assertTrue(tree.contains("org.conv1d4j:conv1d4j:jar:" + version), tree);
        Path installed = Path.of(System.getProperty("conv1d4j.localRepository"), "org", "conv1d4j", "conv1d4j", version);
        for (String attached : new String[] {"sources", "javadoc"}) {
            Path jar = installed.resolve("conv1d4j-" + version + "-" + attached + ".jar");
            assertTrue(Files.size(jar) > 1000, "an IDE finds the " + attached + " jar next to the library: " + jar);
        }

        String classpath = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(project.resolve("classpath.txt")).strip();
        Result main = run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "example.Main");
        assertEquals(0, main.code(), "the README snippet runs:\n" + main.output());
        assertTrue(main.output().contains("consumer-check: ok"), main.output());
    }

    /** The fenced Java block right after {@link #MARKER}. */
    static String snippet(String readme) {
        int at = readme.indexOf(MARKER);
        assertTrue(at >= 0, "the README marks its Maven snippet with " + MARKER);
        int open = readme.indexOf("```java\n", at);
        int close = readme.indexOf("\n```", open + 1);
        assertTrue(open > at && close > open, "a ```java block follows the marker");
        return readme.substring(open + "```java\n".length(), close + 1);
    }

    private static String pom(String version) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.conv1d4j</groupId>
                      <artifactId>conv1d4j</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-dependency-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version, System.getProperty("conv1d4j.resourcesPluginVersion"),
                System.getProperty("conv1d4j.compilerPluginVersion"),
                System.getProperty("conv1d4j.dependencyPluginVersion"));
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        return home == null || home.isEmpty() ? "mvn" : Path.of(home, "bin", "mvn").toString();
    }

    private static String localRepo() {
        return "-Dmaven.repo.local=" + System.getProperty("conv1d4j.localRepository");
    }

    record Result(int code, String output) {
    }

    private Result run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Path log = project.resolve("process.log");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
