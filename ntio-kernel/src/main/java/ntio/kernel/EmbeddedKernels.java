package ntio.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import ntio.api.BugCheckReport;
import ntio.api.EmbeddedKernel;
import ntio.api.KernelProvider;
import ntio.api.NtApi;
import ntio.kernel.executive.CrashReportWriter;

/**
 * The kernel behind {@link ntio.api.Ntio#boot}: registered as a {@link KernelProvider} service, it
 * boots a {@link Kernel} whose crash handler writes the crash report as usual and then tells the
 * embedder's listeners.
 */
public final class EmbeddedKernels implements KernelProvider {

  /** For {@link java.util.ServiceLoader}. */
  public EmbeddedKernels() {}

  @Override
  public EmbeddedKernel boot(Path stateDirectory) {
    List<Consumer<BugCheckReport>> listeners = new CopyOnWriteArrayList<>();
    // The kernel halts before its handler runs; the writer's own stop has nothing left to do.
    CrashReportWriter reports = new CrashReportWriter(stateDirectory, () -> {});
    Kernel kernel = Kernel.boot(KernelConfig.of(stateDirectory).withCrashHandler(bugCheck -> {
      try {
        reports.onBugCheck(bugCheck);
      } finally {
        BugCheckReport report = CrashDumps.report(bugCheck);
        listeners.forEach(listener -> listener.accept(report));
      }
    }));
    return new Embedded(kernel, listeners);
  }

  /** The Unix user this JVM runs as, from {@code /proc/self}; 0 where it cannot be read. */
  public static int currentUnixUid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer value ? value : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 0;
    }
  }

  /** One booted kernel and the embedder's bug-check listeners. */
  private static final class Embedded implements EmbeddedKernel {

    private final Kernel kernel;
    private final List<Consumer<BugCheckReport>> listeners;

    Embedded(Kernel kernel, List<Consumer<BugCheckReport>> listeners) {
      this.kernel = kernel;
      this.listeners = listeners;
    }

    @Override
    public Path stateDirectory() {
      return kernel.stateDirectory();
    }

    @Override
    public NtApi administratorClient(String processName) {
      return LocalNt.administrator(kernel, processName, currentUnixUid());
    }

    @Override
    public void onBugCheck(Consumer<BugCheckReport> listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {
      kernel.close();
    }
  }
}
