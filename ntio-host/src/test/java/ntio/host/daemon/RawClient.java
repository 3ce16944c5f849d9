package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Handshake;
import ntio.host.wire.Opcode;
import ntio.host.wire.WireReader;
import ntio.host.wire.WireWriter;

/**
 * A client that speaks the wire protocol frame by frame, so that a test can misbehave: stay
 * silent, never read, flood requests.
 */
final class RawClient implements AutoCloseable {

  private final SocketChannel channel;
  private int processId;

  private RawClient(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connected, nothing sent. */
  static RawClient connect(Path socket) throws IOException {
    return new RawClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
  }

  /** Connected and handshaken. */
  static RawClient handshaken(Path socket) throws IOException {
    RawClient client = connect(socket);
    client.send(new Handshake.Hello(Handshake.VERSION, "raw").toFrame());
    Handshake.Welcome welcome = client.welcome();
    assertThat(welcome.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    client.processId = welcome.processId();
    return client;
  }

  /** The kernel process the WELCOME named (0 before the handshake). */
  int processId() {
    return processId;
  }

  SocketChannel channel() {
    return channel;
  }

  void send(Frame frame) throws IOException {
    ByteBuffer bytes = FrameCodec.encode(frame);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  void request(long id, Opcode op, WireWriter payload) throws IOException {
    send(new Frame(Frame.Kind.REQUEST, id, op.code(), payload.toByteArray()));
  }

  /** The next frame; null at the end of the stream. */
  Frame read() throws IOException {
    return FrameCodec.read(channel);
  }

  Handshake.Welcome welcome() throws IOException {
    return Handshake.Welcome.from(read());
  }

  /** Opens {@code \??\Echo} (request id {@code id}) and returns the handle. */
  Handle openEcho(long id) throws IOException {
    WireWriter open = new WireWriter().i32(0xC0000000);
    Codec.writeObjectAttributes(open, ObjectAttributes.of("\\??\\Echo"));
    open.i32(0).i32(0);
    request(id, Opcode.CREATE_FILE, open);
    WireReader opened = read().reader();
    assertThat(Codec.readStatus(opened)).isEqualTo(NtStatus.STATUS_SUCCESS);
    return Codec.readHandle(opened);
  }

  /** Issues an overlapped read of {@code length} bytes (request id {@code id}); does not wait. */
  void readAsync(long id, Handle file, int length) throws IOException {
    request(id, Opcode.READ_FILE_ASYNC, Codec.writeHandle(new WireWriter(), file).i32(length).i64(0));
  }

  /** The status an ERROR frame carries. */
  static NtStatus status(Frame error) {
    assertThat(error.kind()).isEqualTo(Frame.Kind.ERROR);
    return Codec.readStatus(error.reader());
  }

  /** The message an ERROR frame carries. */
  static String message(Frame error) {
    WireReader in = error.reader();
    Codec.readStatus(in);
    return in.string();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
