package ntio.stress.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ntio.api.IoResult;
import ntio.api.KernelGoneException;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.wire.RemoteNt;

/**
 * The kinds of client a soak runs, each a loop until a deadline. One well-behaved kind, whose every
 * result is checked against the contract, and four that misbehave: they disconnect in the middle of
 * requests, stall (send and never read), connect and never say hello, or hold requests pending.
 */
final class SoakClients {

  /** How long a well-behaved client waits for its own overlapped read before it cancels it. */
  private static final Duration OWN_READ_WAIT = Duration.ofSeconds(2);

  /** How long one well-behaved round may take before it counts as an error. */
  private static final Duration CALL_LIMIT = Duration.ofSeconds(10);

  private final Path socket;
  private final SoakTally tally;
  private final long deadlineNanos;

  SoakClients(Path socket, SoakTally tally, long deadlineNanos) {
    this.socket = socket;
    this.tally = tally;
    this.deadlineNanos = deadlineNanos;
  }

  private boolean running() {
    return System.nanoTime() < deadlineNanos;
  }

  /**
   * Keeps the rules: connects, opens Null and Echo, writes and reads both, reads its own echo
   * through an overlapped read it cancels if another client's read took its byte, closes what it
   * opened, and reconnects every few rounds. Every result is checked.
   */
  void wellBehaved(int number) {
    while (running()) {
      try (RemoteNt nt = RemoteNt.connect(socket, "soak-good-" + number)) {
        for (int round = 0; round < 8 && running(); round++) {
          long start = System.nanoTime();
          oneRound(nt);
          long took = System.nanoTime() - start;
          tally.round(took);
          if (took > CALL_LIMIT.toNanos()) {
            tally.error("a round took " + took / 1_000_000 + " ms");
          }
        }
      } catch (IOException | KernelGoneException e) {
        tally.error("client " + number + ": " + e);
      }
    }
  }

  private void oneRound(RemoteNt nt) {
    Handle nul = open(nt, "\\Device\\Null");
    Handle echo = open(nt, "\\??\\Echo");
    if (nul != null) {
      expect(nt.writeFile(nul, new byte[64], 0), NtStatus.STATUS_SUCCESS, 64, "write Null");
      expect(nt.readFile(nul, 64, 0), NtStatus.STATUS_END_OF_FILE, 0, "read Null");
      expectStatus(nt.close(nul), "close Null");
    }
    if (echo != null) {
      PendingIo read = nt.readFileAsync(echo, 1, 0);
      expect(nt.writeFile(echo, new byte[] {42}, 0), NtStatus.STATUS_SUCCESS, 1, "write Echo");
      IoResult result = await(read, OWN_READ_WAIT);
      if (result == null) {
        // Another client's pending read took the byte: cancel ours, which must then end.
        expectStatus(nt.cancelIoFileEx(echo, read.id()), NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NOT_FOUND,
            "cancel own read");
        result = await(read, CALL_LIMIT);
      }
      if (result == null) {
        tally.error("an Echo read neither completed nor ended after its cancel");
      } else if (result.status().equals(NtStatus.STATUS_SUCCESS) || result.status().equals(NtStatus.STATUS_CANCELLED)) {
        tally.ok();
      } else {
        tally.error("Echo read ended " + result.status());
      }
      expectStatus(nt.close(echo), "close Echo");
    }
  }

  /**
   * Opens Echo, issues a few overlapped reads that nothing will serve soon, and drops the
   * connection without closing anything: the daemon must run the process down.
   */
  void disconnectsMidRequest(int number) {
    while (running()) {
      try (RemoteNt nt = RemoteNt.connect(socket, "soak-drop-" + number)) {
        OpenResult echo = nt.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
            ObjectAttributes.of("\\??\\Echo"), 0, 0);
        if (echo.status().isSuccess()) {
          for (int i = 0; i < 4; i++) {
            nt.readFileAsync(echo.handle(), 16, 0);
          }
        }
        tally.event("disconnected with requests pending");
      } catch (IOException | KernelGoneException e) {
        tally.event("refused or cut off: " + e.getClass().getSimpleName());
      }
    }
  }

  /** Makes the handshake, then sends requests and never reads a reply; waits to be cut off. */
  void stalls(int number) {
    while (running()) {
      RawPeer peer;
      try {
        peer = RawPeer.connectAndGreet(socket);
      } catch (IOException e) {
        tally.event("stall refused at connect: " + e.getClass().getSimpleName());
        pause(Duration.ofMillis(200));
        continue;
      }
      try (peer) {
        peer.stall(Duration.ofSeconds(3));
        pause(Duration.ofSeconds(2));
        tally.event(peer.awaitDisconnect(Duration.ofSeconds(5))
            ? "stalled, then cut off by the daemon" : "stalled, still connected");
      } catch (IOException e) {
        // The daemon closed the connection while the peer was still sending.
        tally.event("stalled, then cut off by the daemon");
      }
    }
  }

  /** Connects and never says hello; waits for the daemon's handshake deadline to cut it off. */
  void idles(int number) {
    while (running()) {
      try (RawPeer peer = RawPeer.connect(socket)) {
        tally.event(peer.awaitDisconnect(Duration.ofSeconds(15))
            ? "idle, cut off at the handshake deadline" : "idle, still connected");
      } catch (IOException e) {
        tally.event("idle refused: " + e.getClass().getSimpleName());
        pause(Duration.ofMillis(200));
      }
    }
  }

  private Handle open(RemoteNt nt, String path) {
    OpenResult opened = nt.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE, ObjectAttributes.of(path), 0, 0);
    if (!opened.status().isSuccess()) {
      tally.error("open " + path + ": " + opened.status());
      return null;
    }
    tally.ok();
    return opened.handle();
  }

  private void expect(IoResult result, NtStatus status, long information, String what) {
    if (result.status().equals(status) && result.information() == information) {
      tally.ok();
    } else {
      tally.error(what + ": " + result.status() + ", information " + result.information());
    }
  }

  private void expectStatus(NtStatus status, String what) {
    expectStatus(status, NtStatus.STATUS_SUCCESS, NtStatus.STATUS_SUCCESS, what);
  }

  private void expectStatus(NtStatus status, NtStatus one, NtStatus other, String what) {
    if (status.equals(one) || status.equals(other)) {
      tally.ok();
    } else {
      tally.error(what + ": " + status);
    }
  }

  private static IoResult await(PendingIo io, Duration limit) {
    try {
      return io.completion().get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new KernelGoneException("the request failed: " + e.getCause(), e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
