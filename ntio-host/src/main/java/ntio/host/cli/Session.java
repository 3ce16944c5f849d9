package ntio.host.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;

/**
 * A command's connection to a kernel: for now an embedded kernel booted on the state directory and
 * shut down (registry persisted) when the command ends. The command acts as a user-mode client
 * process holding an administrator token for the invoking Unix user — what the daemon will give
 * the uid that runs it.
 */
final class Session implements AutoCloseable {

  private final Kernel kernel;
  private final KThread thread;
  /** Whether closing this session shuts the kernel down; false for a borrowed one. */
  private final boolean owner;

  private Session(Kernel kernel, KThread thread, boolean owner) {
    this.kernel = kernel;
    this.thread = thread;
    this.owner = owner;
  }

  /**
   * The same kernel connection as {@code session}, for commands that run inside {@code ntio shell}:
   * its {@link #close} does nothing, so a command's try-with-resources leaves the shell's kernel
   * and client process alone.
   */
  static Session borrowed(Session session) {
    return new Session(session.kernel, session.thread, false);
  }

  /** Boots an embedded kernel on {@code state}. */
  static Session embedded(Path state) {
    Kernel kernel;
    try {
      kernel = Kernel.boot(KernelConfig.of(state));
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      Throwable cause = e.getCause();
      throw new KernelUnreachableException("cannot boot a kernel on " + state + ": " + e.getMessage()
          + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""));
    }
    try {
      return new Session(kernel, kernel.administratorSession("ntio", Sid.unixUser(currentUid())), true);
    } catch (RuntimeException e) {
      kernel.shutdown();
      throw e;
    }
  }

  /** The kernel. */
  Kernel kernel() {
    return kernel;
  }

  /** The calling thread: a user-mode thread of this command's client process. */
  KThread thread() {
    return thread;
  }

  /** The invoking user's uid, from the owner of {@code /proc/self}; 0 where that is unreadable. */
  static int currentUid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer value ? value : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    if (owner) {
      kernel.shutdown();
    }
  }
}
