package ntio.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import ntio.api.BugCheckReport;
import ntio.api.EmbeddedKernel;
import ntio.api.KernelHalt;
import ntio.api.KernelProvider;
import ntio.api.NtApi;

/**
 * The kernel behind {@link ntio.api.Ntio#boot}: registered as a {@link KernelProvider} service, it
 * boots a {@link Kernel} that writes its crash report as usual and then tells the embedder's
 * listeners ({@link Kernel#onHalt}).
 */
public final class EmbeddedKernels implements KernelProvider {

  /** For {@link java.util.ServiceLoader}. */
  public EmbeddedKernels() {}

  @Override
  public EmbeddedKernel boot(Path stateDirectory) {
    List<Consumer<KernelHalt>> listeners = new CopyOnWriteArrayList<>();
    Kernel kernel = Kernel.boot(KernelConfig.of(stateDirectory));
    // Only the listeners added before the halt hear of it, as EmbeddedKernel promises.
    kernel.onHalt(halt -> listeners.forEach(listener -> listener.accept(halt)));
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
    private final List<Consumer<KernelHalt>> listeners;

    Embedded(Kernel kernel, List<Consumer<KernelHalt>> listeners) {
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
      listeners.add(halt -> listener.accept(halt.bugCheck()));
    }

    @Override
    public void onHalt(Consumer<KernelHalt> listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {
      kernel.close();
    }
  }
}
