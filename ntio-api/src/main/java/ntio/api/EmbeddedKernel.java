package ntio.api;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A kernel booted in this JVM, as a {@link KernelProvider} hands it to the embedding facade: what
 * the facade cannot do through the system calls alone. Thread-safe.
 */
public interface EmbeddedKernel extends AutoCloseable {

  /** The state directory the kernel was booted on. */
  Path stateDirectory();

  /**
   * A new user-mode client process holding an administrator token (its privileges present but
   * disabled, as an elevated tool's are) and its system calls.
   *
   * @param processName the name the process is shown under
   */
  NtApi administratorClient(String processName);

  /**
   * Calls {@code listener} with the first bug check, after the kernel halted and its crash report
   * was written, on the thread that raised it. Listeners added after the bug check are not called.
   */
  void onBugCheck(Consumer<BugCheckReport> listener);

  /**
   * As {@link #onBugCheck}, with the crash report's id: calls {@code listener} with the halt
   * ({@link KernelHalt}) after the report was written, on the thread that raised the bug check.
   * Listeners added after the halt are not called.
   */
  void onHalt(Consumer<KernelHalt> listener);

  /** Shuts the kernel down: client processes are run down, the hive is flushed and closed. */
  @Override
  void close();
}
