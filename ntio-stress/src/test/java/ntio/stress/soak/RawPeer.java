package ntio.stress.soak;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Handshake;
import ntio.host.wire.Opcode;

/**
 * A peer that misbehaves on the wire as an attacker would, with the protocol's own frame classes
 * and no client library: one that connects and never says hello, and one that makes the handshake,
 * then sends requests and never reads a reply.
 *
 * <p>Not thread-safe: one peer, one thread.
 */
final class RawPeer implements AutoCloseable {

  private final SocketChannel channel;

  private RawPeer(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connects and says nothing. */
  static RawPeer connect(Path socket) throws IOException {
    return new RawPeer(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
  }

  /** Connects and makes the handshake; the daemon's welcome is read, and nothing after it ever is. */
  static RawPeer connectAndGreet(Path socket) throws IOException {
    RawPeer peer = connect(socket);
    try {
      peer.write(new Handshake.Hello(Handshake.VERSION, "soak-stall").toFrame());
      Frame welcome = FrameCodec.read(peer.channel);
      if (welcome == null || !Handshake.Welcome.from(welcome).status().isSuccess()) {
        throw new IOException("the daemon refused the handshake");
      }
      return peer;
    } catch (IOException | RuntimeException e) {
      peer.close();
      throw e;
    }
  }

  /**
   * Sends {@code NtQuerySystemInformation}-style requests whose replies are never read, until
   * {@code budget} has passed or the daemon stops taking them (its side of the socket is full, or
   * it closed the connection).
   *
   * @return how many requests were sent whole
   */
  int stall(Duration budget) throws IOException {
    channel.configureBlocking(false);
    long deadline = System.nanoTime() + budget.toNanos();
    int sent = 0;
    long id = 1;
    while (System.nanoTime() < deadline) {
      ByteBuffer request = FrameCodec.encode(new Frame(Frame.Kind.REQUEST, id++, Opcode.QUERY_DRIVERS.code(), new byte[0]));
      while (request.hasRemaining() && System.nanoTime() < deadline) {
        if (channel.write(request) == 0) {
          LockSupport.parkNanos(1_000_000);
        }
      }
      if (request.hasRemaining()) {
        break;
      }
      sent++;
    }
    return sent;
  }

  /**
   * Waits up to {@code limit} for the daemon to end the connection, discarding nothing it may still
   * be sending (it is read only to see the end).
   *
   * @return whether the daemon closed the connection in time
   */
  boolean awaitDisconnect(Duration limit) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer sink = ByteBuffer.allocate(64 << 10);
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      sink.clear();
      int read;
      try {
        read = channel.read(sink);
      } catch (IOException e) {
        return true;
      }
      if (read < 0) {
        return true;
      }
      if (read == 0) {
        LockSupport.parkNanos(5_000_000);
      }
    }
    return false;
  }

  private void write(Frame frame) throws IOException {
    ByteBuffer bytes = FrameCodec.encode(frame);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is the point; nothing is left to release.
    }
  }
}
