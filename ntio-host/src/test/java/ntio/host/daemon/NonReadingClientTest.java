package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import ntio.api.PendingIo;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.drivers.echo.EchoIoctl;
import ntio.host.wire.Frame;
import ntio.host.wire.Opcode;
import ntio.host.wire.RemoteNt;
import ntio.host.wire.TestDaemon;
import ntio.host.wire.WireWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading its replies fills only its own outbound queue: it is disconnected
 * and run down, no kernel thread waits on its socket, and the other clients notice nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonReadingClientTest {

  /** Small, so that the socket's own buffer plus this fills after a few hundred kilobytes. */
  private static final ServerLimits LIMITS = ServerLimits.DEFAULTS.withOutbound(64 << 10, 64);

  @TempDir Path directory;
  private TestDaemon daemon;
  private RemoteNt admin;
  private Handle feeder;

  @BeforeEach
  void start() throws IOException {
    daemon = TestDaemon.start(directory, LIMITS);
    admin = daemon.connect();
    daemon.loadSample(admin, "Echo");
    feeder = TestDaemon.openEcho(admin);
  }

  @AfterEach
  void stop() {
    admin.close();
    daemon.close();
  }

  @Test
  void aClientThatNeverReadsItsCompletionsIsRunDownAndAnotherClientsCompletionArrives() throws Exception {
    RawClient stalled = RawClient.handshaken(daemon.socket());
    Handle echo = stalled.openEcho(1);
    int stalledProcess = stalled.processId();
    int chunk = 32 << 10;
    byte[] data = new byte[chunk];
    Arrays.fill(data, (byte) 'x');
    // From here on it reads nothing. It issues overlapped reads that another client's writes
    // complete: 32 KiB completions for a socket buffer that holds a few, then a queue whose
    // uncovered part (the issue REPLYs, at most 64) fills.
    boolean disconnected = false;
    for (long id = 100; id < 2100 && !disconnected; id++) {
      try {
        stalled.readAsync(id, echo, chunk);
      } catch (IOException e) {
        disconnected = true; // the server closed the connection
      }
      IoResult written = admin.writeFile(feeder, data, 0);
      assertThat(written.status()).as("write %d: the completion it caused never waits on the client", id)
          .isEqualTo(NtStatus.STATUS_SUCCESS);
      assertNoThreadButAWriterWritesToASocket();
      disconnected |= daemon.kernel().processes().lookup(stalledProcess).isEmpty();
    }
    assertThat(disconnected).as("disconnected within 2,000 unread completions").isTrue();
    while (daemon.kernel().processes().lookup(stalledProcess).isPresent()
        || daemon.server().connectionCount() != 1) {
      Thread.sleep(5);
    }

    // Another client's overlapped read completes through the same kernel.
    try (RemoteNt good = daemon.connect()) {
      Handle mine = TestDaemon.openEcho(good);
      drain(good, mine);
      PendingIo pending = good.readFileAsync(mine, 3, 0);
      assertThat(admin.writeFile(feeder, new byte[] {1, 2, 3}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      IoResult result = pending.completion().get(30, TimeUnit.SECONDS);
      assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(result.data()).containsExactly(1, 2, 3);
    } finally {
      stalled.close();
    }
  }

  @Test
  void aClientThatSendsRequestsButNeverReadsTheRepliesIsDisconnectedAndRunDown() throws Exception {
    RawClient stalled = RawClient.handshaken(daemon.socket());
    stalled.openEcho(1);
    int stalledProcess = stalled.processId();
    byte[] request = new WireWriter().toByteArray();
    boolean disconnected = false;
    // Bounded: each QUERY_DRIVERS reply is a few hundred bytes; a few thousand fill any buffer.
    for (long id = 2; id < 200_000 && !disconnected; id++) {
      try {
        stalled.send(new Frame(Frame.Kind.REQUEST, id, Opcode.QUERY_DRIVERS.code(), request));
      } catch (IOException e) {
        disconnected = true; // the server closed the connection
      }
      if (id % 256 == 0 && daemon.kernel().processes().lookup(stalledProcess).isEmpty()) {
        disconnected = true;
      }
    }
    assertThat(disconnected).as("disconnected before 200,000 unread replies").isTrue();
    while (daemon.kernel().processes().lookup(stalledProcess).isPresent()) {
      Thread.sleep(5);
    }
    assertThat(admin.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    stalled.close();
  }

  /** Reads whatever Echo holds from earlier writes, so that the next read waits for the next write. */
  private static void drain(RemoteNt client, Handle file) {
    while (true) {
      IoResult available = client.deviceIoControlFile(file, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, new byte[0], 4);
      assertThat(available.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      int bytes = ByteBuffer.wrap(available.data()).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (bytes == 0) {
        return;
      }
      int chunk = Math.min(bytes, 256 << 10);
      assertThat(client.readFile(file, chunk, 0).information()).isEqualTo(chunk);
    }
  }

  /** No thread — a kernel worker above all — is inside a socket write, except connection writers. */
  private static void assertNoThreadButAWriterWritesToASocket() {
    for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
      if (thread.getKey().getName().startsWith("ntio-write-")) {
        continue;
      }
      assertThat(Arrays.stream(thread.getValue())
          .anyMatch(frame -> frame.getClassName().startsWith("sun.nio.ch.SocketChannelImpl")
              && frame.getMethodName().equals("write")))
          .as("%s writes to a socket", thread.getKey().getName())
          .isFalse();
    }
  }
}
