package ntio.host.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener a host uses until the wire protocol's server is plugged in through {@link
 * HostOptions#withListener}: it binds the Unix domain socket, so that the socket file exists and
 * a client can see a host is up, and closes every connection it accepts without a word.
 */
final class PlaceholderListener implements HostRuntime.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(PlaceholderListener.class);

  private final ServerSocketChannel server;
  private final Path socket;
  private final Thread acceptor;

  private PlaceholderListener(ServerSocketChannel server, Path socket) {
    this.server = server;
    this.socket = socket;
    this.acceptor = new Thread(this::acceptLoop, "ntio-host-placeholder-accept");
    this.acceptor.setDaemon(true);
  }

  static PlaceholderListener bind(Path socket) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      server.close();
      throw e;
    }
    PlaceholderListener listener = new PlaceholderListener(server, socket);
    listener.acceptor.start();
    LOG.warn("No wire protocol server is plugged in: {} accepts connections and closes them", socket);
    return listener;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try (SocketChannel client = server.accept()) {
        LOG.debug("Closed a connection on {}: nothing serves the protocol", socket);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warn("Accept on {} failed: {}", socket, e.toString());
        return;
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("Closing {} failed: {}", socket, e.toString());
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", socket, e.toString());
    }
  }
}
