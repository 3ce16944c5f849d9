package ntio.api;

import java.nio.file.Path;

/**
 * The service {@link Ntio#boot} looks up: a kernel implementation ({@code ntio-kernel} registers
 * one). Not for embedders to call.
 */
public interface KernelProvider {

  /**
   * Boots a kernel on {@code stateDirectory}, creating it if missing.
   *
   * @throws java.io.UncheckedIOException when the state directory or its hive cannot be opened
   */
  EmbeddedKernel boot(Path stateDirectory);
}
