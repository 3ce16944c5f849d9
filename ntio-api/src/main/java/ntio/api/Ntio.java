package ntio.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Boots an ntio kernel inside this JVM, for an embedder: the entry point of the embedding
 * facade ({@link NtSystem}). The kernel is found with {@link ServiceLoader} as a {@link
 * KernelProvider}: put {@code ntio-kernel} on the class path (or module path) next to {@code
 * ntio-api}, and nothing of it needs to be imported.
 */
public final class Ntio {

  private Ntio() {}

  /**
   * Boots a kernel on {@code stateDirectory} (created if missing: the registry hive, {@code
   * SystemRoot} with its driver images, crash reports) and returns it with one administrator
   * client.
   *
   * @throws IllegalStateException when no kernel implementation is on the class path
   * @throws java.io.UncheckedIOException when the state directory or its hive cannot be opened
   */
  public static NtSystem boot(Path stateDirectory) {
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    KernelProvider provider = ServiceLoader.load(KernelProvider.class, Ntio.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no ntio kernel on the class path (add ntio-kernel)"));
    return new EmbeddedSystem(provider.boot(stateDirectory));
  }
}
