package org.conv1d4j.cli;

import java.util.Locale;
import org.conv1d4j.spec.Precision;
import org.bytedeco.javacpp.Loader;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.nativeconfig.NativeSettings;
import org.conv1d4j.nativeconfig.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code info}: versions, the detected ISA, per precision whether the CPU runs it natively and the kernel oneDNN picks
 * for a representative conv, and the thread count.
 */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print versions, the detected ISA, per precision the kernel oneDNN picks and whether the CPU runs "
                + "it natively, and the thread count.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        DnnlRuntime rt = DnnlRuntime.get();
        NativeSettings s = rt.settings();
        out.println("conv1d4j        " + Versions.CONV1D4J);
        out.println("oneDNN          " + rt.dnnlVersion() + " (presets org.bytedeco:dnnl:" + Versions.DNNL + ")");
        out.println("JavaCPP         " + Versions.JAVACPP + ", platform " + Loader.getPlatform() + " (built for "
                + Versions.PLATFORM + ")");
        out.println("Java            " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.println("ISA             " + rt.effectiveIsa() + (s.maxIsa() == null ? "" : " (capped at " + s.maxIsa() + ")"));
        for (Precision p : Precision.values()) {
            // the library's one-time warning about an emulated precision would repeat what this line says
            String kernel = Dispatch.quietly(() -> Dispatch.kernel(p));
            out.printf("%-15s %s; kernel %s%n", p.name().toLowerCase(Locale.ROOT), Dispatch.how(p, rt.effectiveIsa()),
                    kernel.equals("none") ? "none: oneDNN has no convolution in " + p + " on this ISA" : kernel);
        }
        out.printf("%-15s conv %d -> %d, K %d, N %d, W %d, %s (int8 with scale 1, zero point 0)%n", "  (kernels of)",
                Dispatch.REPRESENTATIVE.inChannels(), Dispatch.REPRESENTATIVE.outChannels(),
                Dispatch.REPRESENTATIVE.kernelSize(), Dispatch.BATCH, Dispatch.WIDTH, Dispatch.REPRESENTATIVE.layout());
        out.println("threads         " + rt.threads() + " per call (OpenMP" + (s.ompThreads() > 0 ? ", OMP_NUM_THREADS="
                + s.ompThreads() : ", all " + Runtime.getRuntime().availableProcessors() + " cores") + ")");
        out.println("primitive cache " + (s.primitiveCacheCapacity() < 0 ? "oneDNN default" : s.primitiveCacheCapacity()));
        out.println("verbose         " + (s.verbose() < 0 ? "off" : s.verbose()));
        return 0;
    }
}
