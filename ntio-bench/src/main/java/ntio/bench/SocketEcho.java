package ntio.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ntio.api.IoResult;
import ntio.ddk.Handle;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Opcode;
import ntio.host.wire.ServerCalls;
import ntio.host.wire.WireWriter;

/**
 * The floor under a client's round trip to the daemon: a raw Unix domain socket echo that moves
 * exactly as many bytes each way as ntio does for a zero-length NtReadFile, and does nothing else.
 * A server thread reads {@link #REQUEST_BYTES} and writes back {@link #REPLY_BYTES}; the client
 * writes and reads them, blocking, on the same connection every time. Buffers are made once.
 *
 * <p>The sizes are those of the frames {@code RemoteNt} and the daemon actually send (length
 * prefix included), computed by encoding them, so they follow the protocol when it changes.
 *
 * <p>Two clients: {@link #roundTrip()} reads the reply on the caller's thread, the least any
 * client can do; {@link #roundTripHandedOff()} has a reader thread read it and hand it to the
 * caller through a {@link CompletableFuture} registered in a {@link ConcurrentHashMap} under the
 * request id, as {@code RemoteNt} does. Not both on one instance.
 */
final class SocketEcho implements AutoCloseable {

  /** The READ_FILE request frame of a zero-length read, as {@code RemoteNt} sends it. */
  static final byte[] REQUEST = readRequest();

  /** The REPLY frame of a zero-length read of Null, as the daemon sends it. */
  static final byte[] REPLY = readReply();

  /** Bytes on the wire for the request, length prefix included. */
  static final int REQUEST_BYTES = REQUEST.length;

  /** Bytes on the wire for the reply, length prefix included. */
  static final int REPLY_BYTES = REPLY.length;

  /** Where the request id lies in either frame: after the length prefix and the kind byte. */
  private static final int REQUEST_ID_OFFSET = 4 + 1;

  private final Path directory;
  private final ServerSocketChannel listener;
  private final SocketChannel client;
  private final Thread server;
  private final ByteBuffer request = ByteBuffer.wrap(REQUEST.clone()).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer reply = ByteBuffer.allocate(REPLY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private final Map<Long, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
  private long nextRequestId = 1;
  private Thread reader;
  private volatile boolean closed;

  private SocketEcho(Path directory, ServerSocketChannel listener, SocketChannel client, SocketChannel accepted) {
    this.directory = directory;
    this.listener = listener;
    this.client = client;
    this.server = new Thread(() -> echo(accepted), "socket-echo-server");
    this.server.setDaemon(true);
    this.server.start();
  }

  /** Binds a socket in a new temporary directory, connects to it and starts the echo thread. */
  static SocketEcho start() throws IOException {
    Path directory = StateDirectory.create("ntio-echo");
    ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      listener.bind(UnixDomainSocketAddress.of(directory.resolve("s")));
      SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(directory.resolve("s")));
      return new SocketEcho(directory, listener, client, listener.accept());
    } catch (IOException | RuntimeException e) {
      listener.close();
      StateDirectory.delete(directory);
      throw e;
    }
  }

  /**
   * One round trip, the reply read on this thread.
   *
   * @return the reply's request id, which the echo copies from the request
   */
  long roundTrip() throws IOException {
    long id = send();
    reply.clear();
    fill(client, reply);
    return checked(id, reply.getLong(REQUEST_ID_OFFSET));
  }

  /**
   * One round trip, the reply read by a reader thread and handed to this one, as {@code RemoteNt}
   * hands a reply to its caller.
   *
   * @return the reply's request id
   */
  long roundTripHandedOff() throws IOException {
    if (reader == null) {
      reader = new Thread(this::readReplies, "socket-echo-reader");
      reader.setDaemon(true);
      reader.start();
    }
    CompletableFuture<Long> answer = new CompletableFuture<>();
    long id = nextRequestId;
    waiting.put(id, answer);
    send();
    return checked(id, answer.join());
  }

  private long send() throws IOException {
    long id = nextRequestId++;
    request.clear();
    request.putLong(REQUEST_ID_OFFSET, id);
    while (request.hasRemaining()) {
      client.write(request);
    }
    return id;
  }

  private static long checked(long sent, long received) {
    if (sent != received) {
      throw new IllegalStateException("the echo answered request " + received + ", not " + sent);
    }
    return received;
  }

  /** The client's reader thread: completes the waiting call each reply names. */
  private void readReplies() {
    ByteBuffer in = ByteBuffer.allocate(REPLY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (!closed) {
        in.clear();
        fill(client, in);
        long id = in.getLong(REQUEST_ID_OFFSET);
        CompletableFuture<Long> answer = waiting.remove(id);
        if (answer != null) {
          answer.complete(id);
        }
      }
    } catch (IOException e) {
      waiting.values().forEach(answer -> answer.completeExceptionally(e));
    }
  }

  /** The server thread: reads a request, answers a reply with its id, until the client leaves. */
  private void echo(SocketChannel accepted) {
    ByteBuffer in = ByteBuffer.allocate(REQUEST_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.wrap(REPLY.clone()).order(ByteOrder.LITTLE_ENDIAN);
    try (accepted) {
      while (!closed) {
        in.clear();
        fill(accepted, in);
        out.clear();
        out.putLong(REQUEST_ID_OFFSET, in.getLong(REQUEST_ID_OFFSET));
        while (out.hasRemaining()) {
          accepted.write(out);
        }
      }
    } catch (IOException e) {
      // The client closed the connection: the echo is over.
    }
  }

  private static void fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("the echo's peer closed the connection");
      }
    }
  }

  /** Closes both ends, stops the threads and removes the socket's directory. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      client.close();
      listener.close();
      server.join(5_000);
      if (reader != null) {
        reader.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      StateDirectory.delete(directory);
    }
  }

  /**
   * RemoteNt.readFile's arguments: handle, length, offset. The daemon's own decoder must accept
   * them as exactly one READ_FILE request, or this throws: the floor would be measuring a frame
   * ntio does not send.
   */
  private static byte[] readRequest() {
    WireWriter payload = Codec.writeHandle(new WireWriter(), new Handle(4)).i32(0).i64(0);
    ServerCalls.decode(Opcode.READ_FILE, payload.toByteArray());
    return frame(Frame.Kind.REQUEST, payload);
  }

  private static byte[] readReply() {
    WireWriter payload = new WireWriter();
    Codec.writeIoResult(payload, new IoResult(NullDevice.READ_STATUS, 0, new byte[0]));
    return frame(Frame.Kind.REPLY, payload);
  }

  private static byte[] frame(Frame.Kind kind, WireWriter payload) {
    ByteBuffer encoded = FrameCodec.encode(new Frame(kind, 1, Opcode.READ_FILE.code(), payload.toByteArray()));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }
}
