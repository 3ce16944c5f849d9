package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
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

/**
 * The disconnect race through a real socket: a client issues an overlapped READ_FILE_ASYNC on
 * {@code \??\Echo} and disconnects without waiting, so the daemon issues the read while it runs the
 * client's process down. No read may escape that rundown: afterwards Echo's open count is 0, a
 * later client's write is not swallowed by a dead process's read, and Echo unloads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DisconnectRundownTest {

  /** As many disconnects as the reproduction that found 2–3 escapes in 200. */
  private static final int DISCONNECTS = 400;

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

  @Test
  void readsIssuedByClientsThatDisconnectAtOnceAllEndWithTheirProcessAndEchoUnloads()
      throws IOException {
    try (RemoteNt admin = daemon.connect()) {
      daemon.loadSample(admin, "Echo");
      for (int i = 0; i < DISCONNECTS; i++) {
        try (SocketChannel raw = handshaken()) {
          Handle echo = openEcho(raw);
          byte[] read = Codec.writeHandle(new WireWriter(), echo).i32(1).i64(0).toByteArray();
          send(raw, new Frame(Frame.Kind.REQUEST, 2, Opcode.READ_FILE_ASYNC.code(), read));
        } // closed at once, with the read's reply unread: the read races the rundown
      }
      awaitEchoOpens(0);

      // A dead process's read would take this write's byte; the live reader gets it.
      Handle mine = TestDaemon.openEcho(admin);
      assertThat(admin.writeFile(mine, new byte[] {42}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(admin.readFile(mine, 1, 0).data()).containsExactly(42);
      assertThat(admin.close(mine)).isEqualTo(NtStatus.STATUS_SUCCESS);

      assertThat(admin.unloadDriver(UnicodeString.of(TestDaemon.SERVICES + "Echo")))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (daemon.hasDriver("\\Driver\\Echo")) {
        if (System.nanoTime() > deadline) {
          fail("\\Driver\\Echo is still loaded: something of a dead client holds it");
        }
        Thread.onSpinWait();
      }
      assertThat(daemon.kernel().io().describeDevice("\\Device\\Echo").status())
          .isNotEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  /** Waits (bounded) for the daemon to finish running the clients down. */
  private void awaitEchoOpens(int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int opens;
    while ((opens = echoOpens()) != expected) {
      if (System.nanoTime() > deadline) {
        fail("Echo is still open " + opens + " times after its clients disconnected");
      }
      Thread.onSpinWait();
    }
  }

  private int echoOpens() {
    var echo = daemon.kernel().io().describeDevice("\\Device\\Echo");
    assertThat(echo.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return echo.device().referenceCount();
  }

  private static Handle openEcho(SocketChannel raw) throws IOException {
    WireWriter open = new WireWriter().i32(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE);
    Codec.writeObjectAttributes(open, ObjectAttributes.of("\\??\\Echo"));
    open.i32(0).i32(0);
    send(raw, new Frame(Frame.Kind.REQUEST, 1, Opcode.CREATE_FILE.code(), open.toByteArray()));
    WireReader opened = FrameCodec.read(raw).reader();
    assertThat(Codec.readStatus(opened)).isEqualTo(NtStatus.STATUS_SUCCESS);
    return Codec.readHandle(opened);
  }

  private SocketChannel handshaken() throws IOException {
    SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()));
    send(raw, new Handshake.Hello(Handshake.VERSION, "disconnecter").toFrame());
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
