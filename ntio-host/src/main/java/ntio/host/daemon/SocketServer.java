package ntio.host.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.kernel.Kernel;
import ntio.kernel.security.HostFiles;
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
 * <p>Thread-safe. One acceptor thread, one reader thread per connection, and a shared pool of
 * workers that make the calls (each connection has at most {@value
 * ClientConnection#MAX_CALLS_IN_FLIGHT} calls running at once).
 */
public final class SocketServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

  private final Kernel kernel;
  private final Path socketPath;
  private final ClientPolicy policy;
  private final ServerSocketChannel listener;
  private final ExecutorService workers;
  private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final Thread acceptor;

  private SocketServer(Kernel kernel, Path socketPath, ClientPolicy policy, ServerSocketChannel listener) {
    this.kernel = kernel;
    this.socketPath = socketPath;
    this.policy = policy;
    this.listener = listener;
    this.workers = Executors.newCachedThreadPool(daemonThreads("ntio-call"));
    this.acceptor = daemonThreads("ntio-accept").newThread(this::acceptLoop);
  }

  /**
   * Binds {@code socketPath} and starts accepting clients.
   *
   * @throws IOException if another daemon answers on the socket, or it cannot be bound
   */
  public static SocketServer start(Kernel kernel, Path socketPath, ClientPolicy policy) throws IOException {
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
    SocketServer server = new SocketServer(kernel, socket, policy, listener);
    server.acceptor.start();
    LOG.info("listening on {} ({})", socket, policy);
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
    try {
      Files.deleteIfExists(socketPath);
    } catch (IOException e) {
      LOG.warn("cannot remove the socket {}: {}", socketPath, e.getMessage());
    }
    LOG.info("stopped listening on {}", socketPath);
  }

  private void acceptLoop() {
    while (!closed.get()) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.error("accepting on {} failed; no more clients will be accepted", socketPath, e);
        }
        return;
      }
      ClientConnection connection = new ClientConnection(this, kernel, policy, channel, workers);
      connections.add(connection);
      if (closed.get()) {
        connection.close();
        return;
      }
      daemonThreads("ntio-client").newThread(connection::run).start();
    }
  }

  /** Called by a connection that has ended. */
  void forget(ClientConnection connection) {
    connections.remove(connection);
  }

  private ThreadFactory daemonThreads(String prefix) {
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
