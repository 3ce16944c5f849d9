package ntio.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import ntio.ddk.NtStatus;

/**
 * An ntio kernel embedded in this JVM, with one administrator client, typed for the few things an
 * embedder does: install a driver JAR as a service, load it, open its device and call it, unload
 * it and wait for a deferred unload, and be told of a bug check. Everything else is a system call
 * of {@link #nt()}. As on the NT surface, a failure is a status, never an exception.
 *
 * <pre>{@code
 * try (NtSystem system = Ntio.boot(Path.of("ntio-state"))) {
 *   system.installDriver("Echo", Path.of("Echo.jar"));
 *   system.load("Echo");
 *   try (NtDevice echo = system.open("\\Device\\Echo")) {
 *     echo.write("hello".getBytes(), 0);
 *   }
 *   system.unload("Echo");
 * }
 * }</pre>
 */
public interface NtSystem extends AutoCloseable {

  /** The administrator client's system calls: everything the facade does not type. */
  NtApi nt();

  /**
   * Installs {@code jar} as the demand-start kernel driver service {@code service}, as an
   * installer does ({@code sc create}): copies it into {@code SystemRoot\System32\drivers} of the
   * state directory and writes the service key ({@code Type} 1, {@code Start} 3, {@code
   * ErrorControl} 1, {@code ImagePath}). An existing key of that name is rewritten.
   *
   * @return {@code STATUS_SUCCESS}, the status of the registry call that failed, or {@code
   *     STATUS_OBJECT_NAME_NOT_FOUND} when {@code jar} is not a readable file
   */
  NtStatus installDriver(String service, Path jar);

  /** {@code NtLoadDriver} on the service's key, with {@code SeLoadDriverPrivilege} enabled. */
  NtStatus load(String service);

  /**
   * {@code NtCreateFile} on a device for reading and writing, shared for both, synchronous I/O.
   * The device's {@link NtDevice#status()} tells whether it opened; calls on one that did not
   * return that status.
   */
  NtDevice open(String devicePath);

  /**
   * {@code NtUnloadDriver} on the service's key, with {@code SeLoadDriverPrivilege} enabled. A
   * success with a device still open is a deferred unload: DriverUnload runs once the last
   * reference goes ({@link #awaitUnload}).
   */
  NtStatus unload(String service);

  /**
   * Waits until the service's driver is no longer loaded (a deferred unload completed).
   *
   * @return {@code STATUS_SUCCESS} once it is gone, {@code STATUS_TIMEOUT} when {@code timeout}
   *     passed first, or the status of the driver query when it failed
   */
  NtStatus awaitUnload(String service, Duration timeout);

  /** Calls {@code listener} with the first bug check, after the kernel halted ({@link EmbeddedKernel#onBugCheck}). */
  void onBugCheck(Consumer<BugCheckReport> listener);

  /**
   * Calls {@code listener} once with the halt, its bug check and its crash report's id ({@link
   * KernelHalt#line()} is the line a client is shown), after the report was written, on the thread
   * that raised the bug check ({@link EmbeddedKernel#onHalt}). After it every call of {@link
   * #nt()} answers {@code STATUS_SYSTEM_SHUTDOWN}, and {@code nt().kernelHalt()} says why.
   */
  void onHalt(Consumer<KernelHalt> listener);

  /** Closes the client and shuts the kernel down. */
  @Override
  void close();
}
