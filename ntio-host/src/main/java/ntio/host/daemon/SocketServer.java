package ntio.host.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.NtStatus;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Handshake;
import ntio.kernel.Kernel;
import ntio.hostfs.HostFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the wire protocol: listens on a Unix domain socket and serves each
 * connection as one user-mode process of {@code kernel}, whose token {@link ClientPolicy} chooses
 * from the peer's credentials. See {@code docs/protocol.md}.
 *
 * <p>The socket file gets mode {@code 0660}: the daemon's user and group may connect. A socket
 * file left by a daemon that died is replaced; one that a live daemon answers on is not.
 *
 * <p>Every client is bounded by {@link ServerLimits}: a connection beyond the caps is answered
 * with a WELCOME that refuses it and closed; one that has not sent its HELLO by the handshake
 * deadline is closed; a failing {@code accept} (out of descriptors: EMFILE, ENFILE) is logged and
 * retried after a bounded exponential back-off ({@value #MIN_BACKOFF_MILLIS} ms doubling to
 * {@value #MAX_BACKOFF_MILLIS} ms), never ending the acceptor. See {@code docs/security/socket.md}.
 *
 * <p>Thread-safe. Threads: one acceptor, one timer for the handshake deadlines, per connection a
 * reader and (once handshaken) a writer, and a shared pool of call workers of at most {@code
 * maxConnections × callsPerConnection} threads; and a thread per connection that is disconnected
 * for not reading its replies, for the length of its rundown.
 */
public final class SocketServer implements AutoCloseable {

  /** The first pause after a failed accept. */
  static final long MIN_BACKOFF_MILLIS = 10;

  /** The longest pause after failed accepts. */
  static final long MAX_BACKOFF_MILLIS = 1000;

  /**
   * How long an idle call or disconnect thread waits for work before it ends. Short: a burst of
   * clients must not leave its threads (each with the JDK's per-thread I/O buffer cache) behind
   * for long once it has gone.
   */
  static final long IDLE_THREAD_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

  private final Kernel kernel;
  private final Path socketPath;
  private final ClientPolicy policy;
  private final ServerLimits limits;
  private final ServerSocketChannel listener;
  private final ConnectionGate gate;
  private final ExecutorService workers;
  private final ThreadPoolExecutor disconnects;
  private final ScheduledThreadPoolExecutor deadlines;
  private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final Thread acceptor;

  /** Failed accepts in a row, and when the last refusal was logged: the acceptor's own. */
  private int acceptFailures;
  private long refusalsUnlogged;
  private long lastRefusalLog;

  private SocketServer(Kernel kernel, Path socketPath, ClientPolicy policy, ServerLimits limits,
      ServerSocketChannel listener) {
    this.kernel = kernel;
    this.socketPath = socketPath;
    this.policy = policy;
    this.limits = limits;
    this.listener = listener;
    this.gate = new ConnectionGate(limits.maxConnections(), limits.maxConnectionsPerUid());
    // Bounded, not cached: each connection runs at most callsPerConnection calls at once.
    this.workers = new ThreadPoolExecutor(0, limits.maxConnections() * limits.callsPerConnection(),
        IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads("ntio-call"));
    // A connection that overflows its outbound queue is run down here, never on the thread that
    // overflowed it (a kernel worker completing a request); each connection overflows once.
    this.disconnects = new ThreadPoolExecutor(0, limits.maxConnections(), IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("ntio-disconnect"));
    this.deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("ntio-deadline"));
    this.deadlines.setRemoveOnCancelPolicy(true);
    this.acceptor = daemonThreads("ntio-accept").newThread(this::acceptLoop);
  }

  /**
   * Binds {@code socketPath} and starts accepting clients, with the {@linkplain
   * ServerLimits#DEFAULTS default limits}.
   *
   * @throws IOException if another daemon answers on the socket, or it cannot be bound
   */
  public static SocketServer start(Kernel kernel, Path socketPath, ClientPolicy policy) throws IOException {
    return start(kernel, socketPath, policy, ServerLimits.DEFAULTS);
  }

  /**
   * Binds {@code socketPath} and starts accepting clients within {@code limits}.
   *
   * @throws IOException if another daemon answers on the socket, or it cannot be bound
   */
  public static SocketServer start(Kernel kernel, Path socketPath, ClientPolicy policy, ServerLimits limits)
      throws IOException {
    Path socket = socketPath.toAbsolutePath();
    removeStaleSocket(socket);
    if (socket.getParent() != null) {
      // 0755: the socket's clients must be able to pass through a directory the host makes for it.
      HostFiles.createDirectories(socket.getParent(), HostFiles.SHARED_DIRECTORY);
    }
    ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      SocketFile.bind(listener, socket);
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
    SocketServer server = new SocketServer(kernel, socket, policy, limits, listener);
    server.acceptor.start();
    // Every connected client is told when the kernel halts; later ones at their handshake.
    kernel.onHalt(server::announceHalt);
    LOG.info("listening on {} ({}; at most {}, handshake within {} ms)", socket, policy, server.gate.describe(),
        limits.handshakeTimeout().toMillis());
    return server;
  }

  /** Deletes a socket file no daemon answers on; refuses to take over one that is answered. */
  private static void removeStaleSocket(Path socket) throws IOException {
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
      // A directory, a regular file or a link: never ours to delete.
      throw new IOException(socket + " exists and is not a socket");
    }
    boolean answered;
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      answered = true;
    } catch (IOException e) {
      answered = false;
    }
    if (answered) {
      throw new IOException("a daemon already listens on " + socket);
    }
    // Nobody answers: the file is left over from a daemon that died.
    LOG.info("removing the stale socket {}", socket);
    Files.delete(socket);
  }

  /** The socket's path. */
  public Path socketPath() {
    return socketPath;
  }

  /** How many clients are connected now. */
  public int connectionCount() {
    return connections.size();
  }

  /** The limits it serves within. */
  public ServerLimits limits() {
    return limits;
  }

  /**
   * Stops accepting, ends every connection (each client process is run down: pending requests
   * cancelled, handles closed), stops the workers and removes the socket file. Idempotent. The
   * kernel is not shut down: it is the caller's.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("closing the listener: {}", e.getMessage());
    }
    for (ClientConnection connection : List.copyOf(connections)) {
      connection.close();
    }
    workers.shutdown();
    disconnects.shutdown();
    deadlines.shutdownNow();
    try {
      Files.deleteIfExists(socketPath);
    } catch (IOException e) {
      LOG.warn("cannot remove the socket {}: {}", socketPath, e.getMessage());
    }
    LOG.info("stopped listening on {}", socketPath);
  }

  /** Queues a HALT frame to every connection (never blocks: on a kernel thread). */
  private void announceHalt(ntio.api.KernelHalt halt) {
    for (ClientConnection connection : List.copyOf(connections)) {
      connection.tellHalt(halt);
    }
  }

  /**
   * Accepts until the server closes. A failed accept (EMFILE, ENFILE, ENOMEM, …) is logged and
   * retried after a pause that doubles from {@value #MIN_BACKOFF_MILLIS} ms to {@value
   * #MAX_BACKOFF_MILLIS} ms; the pause lets the handshake deadlines close idle connections and
   * give descriptors back, and keeps a full descriptor table from spinning the acceptor.
   */
  private void acceptLoop() {
    while (!closed.get()) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed.get()) {
          return;
        }
        backOff("accepting on " + socketPath + " failed: " + e.getMessage());
        continue;
      }
      if (acceptFailures > 0) {
        LOG.info("accepting on {} again after {} failed attempts", socketPath, acceptFailures);
        acceptFailures = 0;
      }
      try {
        admit(channel);
      } catch (RuntimeException | OutOfMemoryError e) {
        // No thread for the connection (OutOfMemoryError: unable to create native thread): it
        // was closed; the host goes on serving the others.
        backOff("serving a new connection failed: " + e);
      }
    }
  }

  private void backOff(String failure) {
    acceptFailures++;
    long pause = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(acceptFailures - 1, 20));
    LOG.warn("{}; retrying in {} ms (failure {} in a row)", failure, pause, acceptFailures);
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!closed.get()) {
        LOG.error("the acceptor of {} was interrupted; no more clients will be accepted", socketPath);
      }
      closeQuietly(listener);
    }
  }

  /** Counts the connection and starts its reader, or refuses it when the host is full. */
  private void admit(SocketChannel channel) {
    NtStatus admitted = gate.enter();
    if (!admitted.isSuccess()) {
      refuse(channel, admitted, "the host serves " + limits.maxConnections() + " connections already");
      return;
    }
    ClientConnection connection = new ClientConnection(this, kernel, policy, limits, channel, workers);
    connections.add(connection);
    if (closed.get()) {
      connection.close();
      return;
    }
    try {
      daemonThreads("ntio-client").newThread(connection::run).start();
    } catch (RuntimeException | OutOfMemoryError e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Answers a connection the host will not serve with a WELCOME carrying {@code status}, without
   * waiting for its HELLO, and closes it at once: its descriptor is back before the next accept.
   * The write does not block (the socket is new: its buffer is empty, and it is non-blocking).
   */
  private void refuse(SocketChannel channel, NtStatus status, String reason) {
    try (channel) {
      channel.configureBlocking(false);
      channel.write(FrameCodec.encode(new Handshake.Welcome(Handshake.VERSION, status, 0, "").toFrame()));
    } catch (IOException e) {
      LOG.debug("refusing a connection: {}", e.getMessage());
    }
    logRefusal(status, reason);
  }

  /** At most one line a second: a flood of refused connections must not flood the log. */
  private void logRefusal(NtStatus status, String reason) {
    long now = System.nanoTime();
    if (refusalsUnlogged > 0 && now - lastRefusalLog < TimeUnit.SECONDS.toNanos(1)) {
      refusalsUnlogged++;
      return;
    }
    LOG.warn("refused a connection with {}: {}{}", status, reason,
        refusalsUnlogged > 1 ? " (and " + (refusalsUnlogged - 1) + " more since the last such line)" : "");
    refusalsUnlogged = 1;
    lastRefusalLog = now;
  }

  /** Counts a handshaking connection against its peer's uid; see {@link ConnectionGate#enterUid}. */
  NtStatus enterUid(int uid) {
    return gate.enterUid(uid);
  }

  /** Runs {@code deadline} after the handshake timeout; null if the server is closing. */
  ScheduledFuture<?> scheduleHandshakeDeadline(Runnable deadline) {
    try {
      Duration timeout = limits.handshakeTimeout();
      return deadlines.schedule(deadline, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** A thread for one connection's writer. */
  Thread newWriterThread(Runnable writer) {
    return daemonThreads("ntio-write").newThread(writer);
  }

  /**
   * Ends {@code connection} on a thread of its own, never on the caller's (which may be a kernel
   * worker completing a request): the rundown must not run there.
   */
  void disconnectLater(ClientConnection connection) {
    try {
      disconnects.execute(connection::close);
    } catch (RejectedExecutionException e) {
      // Stopping, or every connection is being disconnected at once: closing the socket (which
      // does not block) ends the reader, which runs the rest of the close.
      connection.closeSocket();
    }
  }

  /** Called by a connection that has ended, once. */
  void forget(ClientConnection connection, Integer countedUid) {
    if (connections.remove(connection)) {
      gate.leave(countedUid);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      LOG.debug("closing: {}", e.getMessage());
    }
  }

  private ThreadFactory daemonThreads(String prefix) {
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
