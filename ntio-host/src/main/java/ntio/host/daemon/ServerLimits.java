package ntio.host.daemon;

import java.time.Duration;
import java.util.Objects;

/**
 * What the {@link SocketServer} allows each client and all of them together. See {@code
 * docs/protocol.md} ("Limits") for what a client sees when it reaches one, and {@code
 * docs/operations.md} for the {@code ntio host} options that set them.
 *
 * <p>Threads: one acceptor, one deadline timer, and per connection one reader, one writer and at
 * most {@code callsPerConnection} call workers, so at most {@code 2 + maxConnections × (2 +
 * callsPerConnection)} (18,434 with the defaults; a connection not yet handshaken holds one).
 *
 * <p>Bytes: a client's requests are charged to its process's non-paged pool quota (the kernel's
 * {@code processNonPagedQuota}, 16 MiB by default) for their payload and the output they ask the
 * kernel to allocate, until the answer is written; what no charge covers waits in an outbound
 * queue of at most {@code outboundBytes}.
 *
 * @param handshakeTimeout how long a connection may take to send its HELLO; then it is closed
 * @param maxConnections connections served at once, handshaken or not; beyond, a new connection
 *     is refused with {@code STATUS_TOO_MANY_SESSIONS}
 * @param maxConnectionsPerUid connections one uid may have at once; beyond, {@code
 *     STATUS_QUOTA_EXCEEDED}
 * @param maxRequestsInFlight requests of one client between their arrival and their final answer
 *     (synchronous and overlapped together); beyond, a request is refused with {@code
 *     STATUS_QUOTA_EXCEEDED} and the connection goes on
 * @param callsPerConnection synchronous calls (and overlapped issues) of one client running at
 *     once, each on a worker thread; beyond, {@code STATUS_INSUFFICIENT_RESOURCES}
 * @param outboundBytes bytes waiting for one client to read them beyond what its requests'
 *     quota charges cover (ERRORs, issue REPLYs, replies larger than their charge); a client whose
 *     queue would exceed it is disconnected and its process run down (a queue holding none takes
 *     one frame of any size, so a large reply never needs a large bound)
 * @param outboundFrames frames waiting for one client that no charge covers; likewise
 */
public record ServerLimits(
    Duration handshakeTimeout,
    int maxConnections,
    int maxConnectionsPerUid,
    int maxRequestsInFlight,
    int callsPerConnection,
    long outboundBytes,
    int outboundFrames) {

  /** The handshake deadline by default: 5 s. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** Connections at once by default. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  /** Connections of one uid at once by default (a 200-client soak of one user fits). */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_UID = 256;

  /** Requests in flight per client by default. */
  public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 256;

  /** Calls running at once per client by default (as before limits were configurable). */
  public static final int DEFAULT_CALLS_PER_CONNECTION = 16;

  /** Reply bytes waiting per client by default: 8 MiB, eight of the largest frames. */
  public static final long DEFAULT_OUTBOUND_BYTES = 8L << 20;

  /** Reply frames waiting per client by default: room for two frames per request in flight. */
  public static final int DEFAULT_OUTBOUND_FRAMES = 4096;

  /** The defaults. */
  public static final ServerLimits DEFAULTS = new ServerLimits(DEFAULT_HANDSHAKE_TIMEOUT,
      DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_UID, DEFAULT_MAX_REQUESTS_IN_FLIGHT,
      DEFAULT_CALLS_PER_CONNECTION, DEFAULT_OUTBOUND_BYTES, DEFAULT_OUTBOUND_FRAMES);

  /** Checks the values. */
  public ServerLimits {
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("the handshake timeout must be positive, was " + handshakeTimeout);
    }
    positive("maxConnections", maxConnections);
    positive("maxConnectionsPerUid", maxConnectionsPerUid);
    positive("maxRequestsInFlight", maxRequestsInFlight);
    positive("callsPerConnection", callsPerConnection);
    positive("outboundFrames", outboundFrames);
    if ((long) maxConnections * callsPerConnection > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(maxConnections + " connections of " + callsPerConnection
          + " calls each is more threads than a pool can count");
    }
    positive("outboundBytes", outboundBytes);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** The same limits with another handshake deadline. */
  public ServerLimits withHandshakeTimeout(Duration timeout) {
    return new ServerLimits(timeout, maxConnections, maxConnectionsPerUid, maxRequestsInFlight,
        callsPerConnection, outboundBytes, outboundFrames);
  }

  /** The same limits with other connection caps. */
  public ServerLimits withConnections(int total, int perUid) {
    return new ServerLimits(handshakeTimeout, total, perUid, maxRequestsInFlight, callsPerConnection,
        outboundBytes, outboundFrames);
  }

  /** The same limits with another cap on requests in flight per client. */
  public ServerLimits withRequestsInFlight(int requests) {
    return new ServerLimits(handshakeTimeout, maxConnections, maxConnectionsPerUid, requests,
        callsPerConnection, outboundBytes, outboundFrames);
  }

  /** The same limits with another cap on running calls per client. */
  public ServerLimits withCallsPerConnection(int calls) {
    return new ServerLimits(handshakeTimeout, maxConnections, maxConnectionsPerUid, maxRequestsInFlight,
        calls, outboundBytes, outboundFrames);
  }

  /** The same limits with another outbound queue per client. */
  public ServerLimits withOutbound(long bytes, int frames) {
    return new ServerLimits(handshakeTimeout, maxConnections, maxConnectionsPerUid, maxRequestsInFlight,
        callsPerConnection, bytes, frames);
  }
}
