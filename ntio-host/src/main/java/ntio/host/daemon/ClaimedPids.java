package ntio.host.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ntio.api.UnixPid;

/**
 * Checks the Unix pid a client states in its HELLO against {@code /proc}. The JDK reports a socket
 * peer's user and group ({@code SO_PEERCRED}) but drops the pid the kernel has, so the pid can only
 * be the client's word: it is accepted when a process with that pid exists and its effective uid
 * is the peer's uid, which the socket did prove. A process can thus name only a process of its own
 * user, and the pid is shown as {@linkplain UnixPid.Trust#CLAIMED claimed}.
 *
 * <p>The pid is looked up in the host's pid namespace: a client in another one (a container
 * sharing the socket) names a pid the host cannot check, and is usually refused by the uid check.
 * Stateless and thread-safe; {@code /proc} is read afresh on every check.
 */
final class ClaimedPids {

  /** A checked claim: the pid to record, and why a claim was not accepted (empty when it was). */
  record Checked(UnixPid pid, String refusal) {}

  private final Path proc;

  /** The machine's {@code /proc}. */
  ClaimedPids() {
    this(Path.of("/proc"));
  }

  /** Another directory in {@code /proc}'s layout (tests). */
  ClaimedPids(Path proc) {
    this.proc = proc;
  }

  /**
   * Checks that {@code claimed} is a live process whose effective uid is {@code peerUid}.
   *
   * @param claimed the pid the client stated; 0 when it stated none
   * @param peerUid the uid the socket's peer credentials gave
   */
  Checked check(long claimed, int peerUid) {
    if (claimed <= 0) {
      return new Checked(UnixPid.UNKNOWN, "");
    }
    String status;
    try {
      status = Files.readString(proc.resolve(Long.toString(claimed)).resolve("status"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Checked(UnixPid.UNKNOWN, "no process " + claimed + " is visible in " + proc);
    }
    long euid = effectiveUid(status);
    if (euid < 0) {
      return new Checked(UnixPid.UNKNOWN, "the status of process " + claimed + " names no uid");
    }
    if (euid != peerUid) {
      return new Checked(UnixPid.UNKNOWN,
          "process " + claimed + " runs as uid " + euid + ", the client as uid " + peerUid);
    }
    return new Checked(UnixPid.claimed(claimed), "");
  }

  /** The effective uid of a {@code /proc/PID/status} text (its {@code Uid:} line's second field), or -1. */
  private static long effectiveUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring(4).trim().split("\\s+");
        if (ids.length >= 2) {
          try {
            return Long.parseLong(ids[1]);
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
    }
    return -1;
  }
}
