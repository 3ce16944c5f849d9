package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Handshake;
import ntio.host.wire.Opcode;
import ntio.host.wire.RemoteNt;
import ntio.host.wire.TestDaemon;
import ntio.host.wire.WireReader;
import ntio.host.wire.WireWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketServerTest {

  @TempDir Path directory;
  private TestDaemon daemon;

  @BeforeEach
  void start() throws IOException {
    daemon = TestDaemon.start(directory);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  // Malformed input from one client ----------------------------------------------------------------

  @Test
  void anOversizedFrameClosesThatConnectionAndAnotherClientKeepsWorking() throws IOException {
    try (RemoteNt other = daemon.connect(); SocketChannel raw = handshaken()) {
      ByteBuffer prefix = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(FrameCodec.MAX_FRAME_BYTES + 1);
      raw.write(prefix.flip());
      assertThat(FrameCodec.read(raw)).as("closed without a reply").isNull();
      assertThat(other.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void aTruncatedFrameClosesThatConnectionAndAnotherClientKeepsWorking() throws IOException {
    try (RemoteNt other = daemon.connect()) {
      SocketChannel raw = handshaken();
      ByteBuffer partial = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putInt(100).putShort((short) 3);
      raw.write(partial.flip());
      raw.shutdownOutput();
      assertThat(FrameCodec.read(raw)).isNull();
      raw.close();
      assertThat(other.queryToken().processId()).isEqualTo(other.processId());
    }
  }

  @Test
  void anUnknownOpcodeIsAnsweredWithInvalidSystemService() throws IOException {
    try (SocketChannel raw = handshaken()) {
      send(raw, new Frame(Frame.Kind.REQUEST, 77, 0x7777, new byte[0]));
      Frame answer = FrameCodec.read(raw);
      assertThat(answer.kind()).isEqualTo(Frame.Kind.ERROR);
      assertThat(answer.requestId()).isEqualTo(77);
      assertThat(Codec.readStatus(answer.reader())).isEqualTo(NtStatus.STATUS_INVALID_SYSTEM_SERVICE);
      // The connection still serves.
      send(raw, new Frame(Frame.Kind.REQUEST, 78, Opcode.QUERY_DRIVERS.code(), new byte[0]));
      assertThat(FrameCodec.read(raw).kind()).isEqualTo(Frame.Kind.REPLY);
    }
  }

  @Test
  void aMalformedRequestIsAnsweredWithInvalidParameterForItsRequestId() throws IOException {
    try (SocketChannel raw = handshaken()) {
      // CLOSE takes a 4-byte handle: two bytes are too few, six too many.
      for (byte[] payload : new byte[][] {{1, 2}, {4, 0, 0, 0, 9, 9}}) {
        send(raw, new Frame(Frame.Kind.REQUEST, 5, Opcode.CLOSE.code(), payload));
        Frame answer = FrameCodec.read(raw);
        assertThat(answer.kind()).isEqualTo(Frame.Kind.ERROR);
        assertThat(answer.requestId()).isEqualTo(5);
        assertThat(Codec.readStatus(answer.reader())).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
      }
      // A UNICODE_STRING whose buffer claims more bytes than the frame holds.
      WireWriter lying = new WireWriter().u8(1).u16(8).u16(8).i32(4000);
      send(raw, new Frame(Frame.Kind.REQUEST, 6, Opcode.LOAD_DRIVER.code(), lying.toByteArray()));
      Frame answer = FrameCodec.read(raw);
      assertThat(answer.requestId()).isEqualTo(6);
      assertThat(Codec.readStatus(answer.reader())).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    }
  }

  @Test
  void aFrameOfAnotherKindFromAClientClosesTheConnection() throws IOException {
    try (SocketChannel raw = handshaken()) {
      send(raw, new Frame(Frame.Kind.REPLY, 1, Opcode.QUERY_DRIVERS.code(), new byte[0]));
      assertThat(FrameCodec.read(raw)).isNull();
    }
  }

  @Test
  void aBadHandshakeClosesTheConnectionAndAnotherClientKeepsWorking() throws IOException {
    try (RemoteNt other = daemon.connect(); SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
      WireWriter hello = new WireWriter().i32(0x12345678).u16(Handshake.VERSION).string("liar");
      send(raw, new Frame(Frame.Kind.HELLO, 0, 0, hello.toByteArray()));
      assertThat(FrameCodec.read(raw)).isNull();
      assertThat(other.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
      raw.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      assertClosedByTheServer(raw);
    }
  }

  @Test
  void anotherProtocolVersionIsRefusedWithRevisionMismatch() throws IOException {
    try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
      send(raw, new Handshake.Hello(Handshake.VERSION + 1, "future").toFrame());
      Handshake.Welcome welcome = Handshake.Welcome.from(FrameCodec.read(raw));
      assertThat(welcome.status()).isEqualTo(NtStatus.STATUS_REVISION_MISMATCH);
      assertThat(welcome.version()).isEqualTo(Handshake.VERSION);
      assertThat(FrameCodec.read(raw)).isNull();
    }
  }

  @Test
  void aReusedRequestIdInFlightIsRefused() throws IOException {
    try (RemoteNt admin = daemon.connect(); SocketChannel raw = handshaken()) {
      daemon.loadSample(admin, "Echo");
      // Open \??\Echo on the raw connection, then issue two overlapped reads with one id.
      WireWriter open = new WireWriter().i32(0xC0000000);
      Codec.writeObjectAttributes(open, ntio.ddk.ObjectAttributes.of("\\??\\Echo"));
      open.i32(0).i32(0);
      send(raw, new Frame(Frame.Kind.REQUEST, 1, Opcode.CREATE_FILE.code(), open.toByteArray()));
      WireReader opened = FrameCodec.read(raw).reader();
      assertThat(Codec.readStatus(opened)).isEqualTo(NtStatus.STATUS_SUCCESS);
      Handle echo = Codec.readHandle(opened);
      byte[] read = Codec.writeHandle(new WireWriter(), echo).i32(4).i64(0).toByteArray();
      send(raw, new Frame(Frame.Kind.REQUEST, 2, Opcode.READ_FILE_ASYNC.code(), read));
      assertThat(FrameCodec.read(raw).kind()).isEqualTo(Frame.Kind.REPLY);
      send(raw, new Frame(Frame.Kind.REQUEST, 2, Opcode.READ_FILE_ASYNC.code(), read));
      Frame refused = FrameCodec.read(raw);
      assertThat(refused.kind()).isEqualTo(Frame.Kind.ERROR);
      assertThat(Codec.readStatus(refused.reader())).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    }
  }

  // Processes ---------------------------------------------------------------------------------------

  @Test
  void aClientThatDisconnectsWhileHoldingAHandleLetsTheDeferredUnloadComplete() throws IOException {
    try (RemoteNt admin = daemon.connect()) {
      daemon.loadSample(admin, "Echo");
      RemoteNt holder = daemon.connect();
      Handle echo = TestDaemon.openEcho(holder);
      var pending = holder.readFileAsync(echo, 4, 0);
      assertThat(admin.unloadDriver(UnicodeString.of(TestDaemon.SERVICES + "Echo"))).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(admin.queryDrivers().rows()).filteredOn(d -> d.name().equals("\\Driver\\Echo"))
          .singleElement().matches(d -> d.unloadPending());
      assertThat(pending.completion()).isNotDone();

      holder.close();

      while (daemon.hasDriver("\\Driver\\Echo")) {
        Thread.onSpinWait();
      }
      assertThat(admin.queryDrivers().rows()).extracting(d -> d.name()).doesNotContain("\\Driver\\Echo");
    }
  }

  @Test
  void aClientKilledWithoutAGoodbyeIsRunDownToo() throws IOException {
    try (RemoteNt admin = daemon.connect()) {
      daemon.loadSample(admin, "Echo");
      SocketChannel raw = handshaken();
      WireWriter open = new WireWriter().i32(0xC0000000);
      Codec.writeObjectAttributes(open, ntio.ddk.ObjectAttributes.of("\\??\\Echo"));
      open.i32(0).i32(0);
      send(raw, new Frame(Frame.Kind.REQUEST, 1, Opcode.CREATE_FILE.code(), open.toByteArray()));
      assertThat(Codec.readStatus(FrameCodec.read(raw).reader())).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(admin.unloadDriver(UnicodeString.of(TestDaemon.SERVICES + "Echo"))).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(daemon.hasDriver("\\Driver\\Echo")).isTrue();
      raw.close();
      while (daemon.hasDriver("\\Driver\\Echo")) {
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void anotherClientCannotUseThisClientsHandles() throws IOException {
    try (RemoteNt owner = daemon.connect(); RemoteNt stranger = daemon.connect()) {
      daemon.loadSample(owner, "Echo");
      Handle echo = TestDaemon.openEcho(owner);
      assertThat(owner.processId()).isNotEqualTo(stranger.processId());
      assertThat(stranger.readFile(echo, 1, 0).status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
      assertThat(stranger.close(echo)).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
      assertThat(owner.writeFile(echo, new byte[] {7}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void aClientThePolicyDoesNotTrustGetsAStandardUserToken() throws IOException {
    daemon.close();
    daemon = TestDaemon.start(directory.resolve("standard"), ClientPolicy.of(Set.of(), Set.of()));
    try (RemoteNt user = daemon.connect()) {
      assertThat(user.queryToken().elevated()).isFalse();
      assertThat(user.queryToken().privileges()).extracting(p -> p.name()).doesNotContain("SeLoadDriverPrivilege");
      assertThat(user.loadDriver(UnicodeString.of(TestDaemon.SERVICES + "Echo")))
          .isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
      assertThat(user.unloadDriver(null)).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
    }
  }

  // The socket file ---------------------------------------------------------------------------------

  @Test
  void theSocketIsReadableAndWritableByOwnerAndGroupOnly() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket()))).isEqualTo("rw-rw----");
  }

  @Test
  void aSocketADaemonAnswersOnIsNotTakenOver() {
    assertThatThrownBy(() -> SocketServer.start(daemon.kernel(), daemon.socket(), ClientPolicy.of(Set.of(), Set.of())))
        .isInstanceOf(IOException.class).hasMessageContaining("already listens");
  }

  @Test
  void aStaleSocketFileIsReplaced() throws IOException {
    Path stale = directory.resolve("stale.sock");
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(stale));
    dead.close();
    assertThat(stale).exists();
    try (SocketServer server = SocketServer.start(daemon.kernel(), stale, ClientPolicy.forThisHost(Set.of()));
        RemoteNt client = RemoteNt.connect(stale)) {
      assertThat(client.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(stale).doesNotExist();
  }

  @Test
  void closingTheServerRunsDownEveryClientAndRemovesTheSocket() throws IOException {
    RemoteNt admin = daemon.connect();
    daemon.loadSample(admin, "Echo");
    TestDaemon.openEcho(admin);
    assertThat(daemon.server().connectionCount()).isEqualTo(1);
    daemon.server().close();
    assertThat(daemon.socket()).doesNotExist();
    assertThat(daemon.kernel().processes().lookup(admin.processId())).isEmpty();
    assertThat(daemon.server().connectionCount()).isZero();
    assertThatThrownBy(admin::queryDrivers).isInstanceOf(ntio.api.KernelGoneException.class);
  }

  /** The server closed: end of stream, or a reset when it closed with bytes of ours unread. */
  private static void assertClosedByTheServer(SocketChannel raw) {
    try {
      assertThat(FrameCodec.read(raw)).isNull();
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("reset");
    }
  }

  private SocketChannel handshaken() throws IOException {
    SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()));
    send(raw, new Handshake.Hello(Handshake.VERSION, "raw").toFrame());
    Handshake.Welcome welcome = Handshake.Welcome.from(FrameCodec.read(raw));
    assertThat(welcome.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return raw;
  }

  private static void send(SocketChannel raw, Frame frame) throws IOException {
    ByteBuffer bytes = FrameCodec.encode(frame);
    while (bytes.hasRemaining()) {
      raw.write(bytes);
    }
  }
}
