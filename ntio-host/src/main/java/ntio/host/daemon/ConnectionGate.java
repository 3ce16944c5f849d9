package ntio.host.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.HashMap;
import java.util.Map;
import ntio.ddk.NtStatus;

/**
 * Counts the connections a {@link SocketServer} serves, in total and per peer uid, and admits a new
 * one only within {@link ServerLimits#maxConnections()} and {@link
 * ServerLimits#maxConnectionsPerUid()}. A connection counts from its accept until it is closed,
 * handshaken or not: an idle connection holds a descriptor as much as a busy one.
 *
 * <p>Thread-safe.
 */
final class ConnectionGate {

  private final int maxTotal;
  private final int maxPerUid;

  @GuardedBy("this")
  private int total;

  @GuardedBy("this")
  private final Map<Integer, Integer> perUid = new HashMap<>();

  ConnectionGate(int maxTotal, int maxPerUid) {
    this.maxTotal = maxTotal;
    this.maxPerUid = maxPerUid;
  }

  /**
   * Admits one more connection, counting it; the acceptor asks this before it makes the
   * connection's threads.
   *
   * @return {@code STATUS_SUCCESS} (counted: {@link #leave} it later), or {@code
   *     STATUS_TOO_MANY_SESSIONS} when the host serves {@code maxConnections} already
   */
  synchronized NtStatus enter() {
    if (total >= maxTotal) {
      return NtStatus.STATUS_TOO_MANY_SESSIONS;
    }
    total++;
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Counts an admitted connection against its peer's uid, once its credentials are known.
   *
   * @return {@code STATUS_SUCCESS} (counted: {@link #leave} names the uid later), or {@code
   *     STATUS_QUOTA_EXCEEDED} when this uid has {@code maxConnectionsPerUid} already (not counted)
   */
  synchronized NtStatus enterUid(int uid) {
    int mine = perUid.getOrDefault(uid, 0);
    if (mine >= maxPerUid) {
      return NtStatus.STATUS_QUOTA_EXCEEDED;
    }
    perUid.put(uid, mine + 1);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * One admitted connection has ended.
   *
   * @param uid the uid {@link #enterUid} counted it against, or null if none
   */
  synchronized void leave(Integer uid) {
    if (uid != null) {
      Integer mine = perUid.get(uid);
      if (mine == null) {
        throw new IllegalStateException("uid " + uid + " has no connection to end");
      }
      if (mine == 1) {
        perUid.remove(uid);
      } else {
        perUid.put(uid, mine - 1);
      }
    }
    total--;
  }

  /** Connections counted now. */
  synchronized int total() {
    return total;
  }

  /** The limits, for messages. */
  String describe() {
    return maxTotal + " connections, " + maxPerUid + " per uid";
  }
}
