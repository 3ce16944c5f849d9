package ntio.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.host.daemon.ClientPolicy;
import ntio.host.daemon.SocketServer;
import ntio.host.wire.RemoteNt;

/**
 * A daemon's kernel with Null loaded, serving its socket, and the clients that read {@code
 * \Device\Null} through it: what {@code ntio host} and the {@code ntio} command line are, in one
 * JVM. The server lives in a temporary directory of its own with a short name (a Unix socket's
 * path holds at most 107 bytes).
 *
 * <p>Every client is a user-mode process of the kernel with the token of this JVM's uid (an
 * administrator, as {@code ClientPolicy.forThisHost} decides), and opens the device as {@link
 * BenchKernel#open} does: {@code GENERIC_READ | GENERIC_WRITE}, sharing reads and writes.
 *
 * <p>Thread-safe for {@link #connect}; each {@link Client} is driven by one thread.
 */
final class RemoteNull implements AutoCloseable {

  private final NullDevice device;
  private final Path directory;
  private final SocketServer server;

  private RemoteNull(NullDevice device, Path directory, SocketServer server) {
    this.device = device;
    this.directory = directory;
    this.server = server;
  }

  /** Boots a kernel, loads Null and starts a socket server on it. */
  static RemoteNull start() throws IOException {
    NullDevice device = NullDevice.open();
    Path directory = null;
    try {
      directory = StateDirectory.create("ntio-sock");
      SocketServer server = SocketServer.start(device.kernel(), directory.resolve("s"),
          ClientPolicy.forThisHost(Set.of()));
      return new RemoteNull(device, directory, server);
    } catch (IOException | RuntimeException e) {
      try {
        device.close();
        StateDirectory.delete(directory);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The socket clients connect to. */
  Path socket() {
    return server.socketPath();
  }

  /** How many clients are connected now. */
  int connections() {
    return server.connectionCount();
  }

  /** Connects a new client and opens {@code \Device\Null} through it. */
  Client connect(String processName) throws IOException {
    RemoteNt remote = RemoteNt.connect(server.socketPath(), processName);
    try {
      OpenResult opened = remote.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of(NullDevice.DEVICE_NAME), BenchKernel.SHARE_READ_WRITE, 0);
      BenchKernel.check("NtCreateFile(" + NullDevice.DEVICE_NAME + ") over the socket", opened.status());
      return new Client(remote, opened.handle());
    } catch (RuntimeException e) {
      remote.close();
      throw e;
    }
  }

  /** Stops the server, then closes the device, unloads Null and shuts the kernel down. */
  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      try {
        device.close();
      } finally {
        StateDirectory.delete(directory);
      }
    }
  }

  /** One client connection with {@code \Device\Null} open. Not thread-safe. */
  static final class Client implements AutoCloseable {
    private final RemoteNt remote;
    private final Handle handle;

    private Client(RemoteNt remote, Handle handle) {
      this.remote = remote;
      this.handle = handle;
    }

    /**
     * NtReadFile of no bytes at offset 0, over the socket, waiting for the reply.
     *
     * @throws IllegalStateException unless the answer is {@link NullDevice#READ_STATUS} with no
     *     bytes (the daemon refused the request, say)
     */
    IoResult readNothing() {
      IoResult read = remote.readFile(handle, 0, 0);
      if (!NullDevice.READ_STATUS.equals(read.status()) || read.information() != 0 || read.data().length != 0) {
        throw new IllegalStateException("NtReadFile(\\Device\\Null, 0 bytes) over the socket returned "
            + read.status() + " with " + read.information() + " bytes, not " + NullDevice.READ_STATUS
            + " with none");
      }
      return read;
    }

    /** The client's connection. */
    RemoteNt remote() {
      return remote;
    }

    /** Closes the handle and the connection. */
    @Override
    public void close() {
      try {
        if (remote.isConnected()) {
          BenchKernel.check("NtClose(\\Device\\Null) over the socket", remote.close(handle));
        }
      } finally {
        remote.close();
      }
    }
  }
}
