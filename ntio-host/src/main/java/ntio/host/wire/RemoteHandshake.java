package ntio.host.wire;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import ntio.ddk.NtStatus;

/**
 * The client's half of the handshake ({@link Handshake}): sends the HELLO on a freshly connected
 * channel and reads the daemon's WELCOME, within a deadline, turning every way it can fail into an
 * {@link IOException} that says why. Used by {@link RemoteNt#connect(Path, String, Duration)}.
 */
final class RemoteHandshake {

  private RemoteHandshake() {}

  /**
   * Makes the handshake on {@code channel}.
   *
   * @return the daemon's WELCOME, whose status is a success
   * @throws IOException if the peer does not answer within {@code timeout}, closes, does not speak
   *     the protocol, or refuses the connection (the message names the WELCOME's status and why);
   *     the channel is closed then
   */
  static Handshake.Welcome perform(Path socket, SocketChannel channel, String processName, Duration timeout)
      throws IOException {
    // A peer that accepts but never answers (not an ntio daemon) must not hang the caller.
    AtomicBoolean answered = new AtomicBoolean();
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (answered.compareAndSet(false, true)) {
        try {
          channel.close();
        } catch (IOException e) {
          // The handshake fails either way.
        }
      }
    });
    try {
      Frame answer;
      try {
        RemoteNt.write(channel, new Handshake.Hello(Handshake.VERSION, processName, ProcessHandle.current().pid())
            .toFrame());
        answer = FrameCodec.read(channel);
      } catch (IOException e) {
        // A daemon that refuses a connection (too many) answers before reading the HELLO and
        // closes: the HELLO then fails with a broken pipe, and its WELCOME says why.
        answer = refusalAfter(channel, e);
      }
      if (!answered.compareAndSet(false, true)) {
        throw new IOException("the peer at " + socket + " did not answer the handshake in " + timeout);
      }
      ntio.api.KernelHalt halt = null;
      if (answer != null && answer.kind() == Frame.Kind.HALT) {
        // A halted kernel's daemon says why before it refuses.
        halt = HaltFrame.read(answer);
        answer = FrameCodec.read(channel, Handshake.MAX_HELLO_FRAME_BYTES);
      }
      if (answer == null) {
        throw new IOException("the daemon at " + socket + " closed the connection during the handshake");
      }
      Handshake.Welcome welcome = Handshake.Welcome.from(answer);
      if (!welcome.status().isSuccess() && halt != null) {
        throw new KernelHaltedException(halt);
      }
      if (!welcome.status().isSuccess()) {
        throw new IOException("the daemon at " + socket + " refused the connection: " + welcome.status()
            + refusalReason(welcome));
      }
      return welcome;
    } catch (IOException | RuntimeException e) {
      answered.set(true);
      channel.close();
      if (e instanceof AsynchronousCloseException) {
        // The timer closed the channel under the read.
        throw new IOException("the peer at " + socket + " did not answer the handshake in " + timeout, e);
      }
      if (e instanceof WireException) {
        throw new IOException("the peer at " + socket + " does not speak the ntio protocol: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** The WELCOME a daemon sent before it closed, when the HELLO could not be written; else {@code failure}. */
  private static Frame refusalAfter(SocketChannel channel, IOException failure) throws IOException {
    if (!channel.isOpen()) {
      throw failure;
    }
    Frame answer;
    try {
      answer = FrameCodec.read(channel, Handshake.MAX_HELLO_FRAME_BYTES);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      throw failure;
    }
    if (answer == null || (answer.kind() != Frame.Kind.WELCOME && answer.kind() != Frame.Kind.HALT)) {
      throw failure;
    }
    return answer;
  }

  /** Why a WELCOME refused, in words (see {@link Handshake.Welcome#status()}). */
  private static String refusalReason(Handshake.Welcome welcome) {
    NtStatus status = welcome.status();
    if (status.equals(NtStatus.STATUS_REVISION_MISMATCH)) {
      return " (it speaks protocol version " + welcome.version() + ", this client " + Handshake.VERSION + ")";
    }
    if (status.equals(NtStatus.STATUS_TOO_MANY_SESSIONS)) {
      return " (it serves as many connections as it allows; try again later)";
    }
    if (status.equals(NtStatus.STATUS_QUOTA_EXCEEDED)) {
      return " (this user has as many connections as the daemon allows one user)";
    }
    return "";
  }
}
