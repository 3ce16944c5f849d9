package ntio.host.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ntio.api.NtApi;
import ntio.host.wire.RemoteNt;
import ntio.kernel.EmbeddedKernels;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;

/**
 * A command's connection to a kernel: the system calls of one user-mode client process ({@link
 * #nt()}), and nothing else. Commands never see the kernel itself, so each one behaves the same on
 * an embedded kernel and on the daemon's.
 *
 * <p>Two ways in: {@link #embedded} boots a kernel on the state directory and shuts it down
 * (registry persisted) when the command ends, the command acting as a client process with an
 * administrator token for the invoking Unix user — what the daemon gives the uid that runs it;
 * {@link #connect} reaches the daemon on its socket.
 */
final class Session implements AutoCloseable {

  private final NtApi nt;
  /** The kernel this session booted and must shut down, or null when it only borrowed one. */
  private final Kernel ownedKernel;
  /** Whether closing this session ends its client; false for a borrowed one. */
  private final boolean owner;

  private Session(NtApi nt, Kernel ownedKernel, boolean owner) {
    this.nt = nt;
    this.ownedKernel = ownedKernel;
    this.owner = owner;
  }

  /**
   * The same client as {@code session}, for commands that run inside {@code ntio shell}: its
   * {@link #close} does nothing, so a command's try-with-resources leaves the shell's client
   * process (its handles) and kernel alone.
   */
  static Session borrowed(Session session) {
    return new Session(session.nt, null, false);
  }

  /** Boots an embedded kernel on {@code state}; closing the session shuts it down. */
  static Session embedded(Path state) {
    Kernel kernel;
    try {
      kernel = Kernel.boot(KernelConfig.of(state));
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      Throwable cause = e.getCause();
      // The usual reason: a host holds the hive. Say so, and how to reach it.
      String host = ntio.host.daemon.HostLock.read(state.resolve(ntio.host.daemon.HostOptions.LOCK_FILE))
          .map(holder -> "; an ntio host runs on it (" + holder.describe()
              + "): leave out --embedded to talk to it")
          .orElse("");
      throw new KernelUnreachableException("cannot boot a kernel on " + state + ": " + e.getMessage()
          + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "") + host);
    }
    try {
      return new Session(LocalNt.administrator(kernel, "ntio", currentUid()),
          kernel, true);
    } catch (RuntimeException e) {
      kernel.shutdown();
      throw e;
    }
  }

  /**
   * A session on a client that someone else's kernel serves: closing it ends the client process
   * only. What tests use to run several commands on one running kernel, as they would run against
   * the daemon.
   */
  static Session onClient(NtApi nt) {
    return new Session(nt, null, true);
  }

  /**
   * Connects to the daemon listening on {@code socket}.
   *
   * @throws KernelUnreachableException when nothing answers there
   */
  static Session connect(Path socket) {
    try {
      return onClient(RemoteNt.connect(socket, "ntio"));
    } catch (ntio.host.wire.KernelHaltedException e) {
      // The host runs; its kernel does not: say why, not how to start a host.
      throw new KernelUnreachableException(e.getMessage() + " (the host at " + socket
          + " still runs; it reboots its kernel unless CrashControl\\AutoReboot is 0)");
    } catch (IOException e) {
      throw unreachable(socket, e);
    }
  }

  private static KernelUnreachableException unreachable(Path socket, IOException e) {
    String why;
    if (!Files.exists(socket)) {
      why = "no daemon socket at " + socket;
    } else if (e instanceof java.nio.file.AccessDeniedException
        || String.valueOf(e.getMessage()).contains("Permission denied")) {
      why = "not allowed to connect to " + socket + " (the socket's group may connect: ask for it, or use --embedded)";
    } else {
      why = "nothing answers at " + socket + " (" + e.getMessage() + ")";
    }
    return new KernelUnreachableException(
        why + "; start one with 'ntio host', or run the command with --embedded to boot a kernel in this process");
  }

  /** This command's system calls. */
  NtApi nt() {
    return nt;
  }

  /** The invoking user's uid, from the owner of {@code /proc/self}; 0 where that is unreadable. */
  static int currentUid() {
    return EmbeddedKernels.currentUnixUid();
  }

  /** Ends the client process, then shuts down the kernel when this session booted it. */
  @Override
  public void close() {
    if (!owner) {
      return;
    }
    try {
      nt.close();
    } finally {
      if (ownedKernel != null) {
        ownedKernel.shutdown();
      }
    }
  }
}
