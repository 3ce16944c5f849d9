package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.Handshake;
import ntio.host.wire.Opcode;
import ntio.host.wire.RemoteNt;
import ntio.host.wire.TestDaemon;
import ntio.host.wire.WireWriter;
import ntio.kernel.process.KProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ServerLimits} a {@link SocketServer} holds every client to. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketServerLimitsTest {

  @TempDir Path directory;
  private TestDaemon daemon;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  private <T extends AutoCloseable> T keep(T client) {
    clients.add(client);
    return client;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(5);
    }
  }

  // Connections ----------------------------------------------------------------------------------

  @Test
  void idleConnectionsBeyondTheCapAreRefusedWithTooManySessionsAndAGoodClientConnectsOnceTheyGo()
      throws Exception {
    daemon = TestDaemon.start(directory, ServerLimits.DEFAULTS.withConnections(4, 4));
    List<RawClient> idle = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      idle.add(keep(RawClient.connect(daemon.socket())));
    }
    await(() -> daemon.server().connectionCount() == 4);

    try (RawClient refused = RawClient.connect(daemon.socket())) {
      Handshake.Welcome welcome = refused.welcome();
      assertThat(welcome.status()).isEqualTo(NtStatus.STATUS_TOO_MANY_SESSIONS);
      assertThat(welcome.processId()).isZero();
      assertThat(refused.read()).as("closed after the refusal").isNull();
    }
    assertThatThrownBy(daemon::connect).isInstanceOf(IOException.class)
        .hasMessageContaining("STATUS_TOO_MANY_SESSIONS");

    for (RawClient client : idle) {
      client.close();
    }
    await(() -> daemon.server().connectionCount() == 0);
    try (RemoteNt good = daemon.connect()) {
      assertThat(good.queryToken().processId()).isEqualTo(good.processId());
    }
  }

  @Test
  void aUidBeyondItsConnectionCapIsRefusedWithQuotaExceededWhileTheHostHasRoom() throws Exception {
    daemon = TestDaemon.start(directory, ServerLimits.DEFAULTS.withConnections(16, 2));
    RemoteNt first = keep(daemon.connect());
    keep(daemon.connect());

    try (RawClient third = RawClient.connect(daemon.socket())) {
      third.send(new Handshake.Hello(Handshake.VERSION, "third").toFrame());
      assertThat(third.welcome().status()).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
      assertThat(third.read()).isNull();
    }

    first.close();
    await(() -> daemon.server().connectionCount() == 1);
    try (RemoteNt again = daemon.connect()) {
      assertThat(again.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  // The handshake --------------------------------------------------------------------------------

  @Test
  void aConnectionThatNeverSendsItsHelloIsClosedAtTheDeadline() throws Exception {
    daemon = TestDaemon.start(directory, ServerLimits.DEFAULTS.withHandshakeTimeout(Duration.ofMillis(200)));
    try (RawClient silent = RawClient.connect(daemon.socket());
        RawClient halfway = RawClient.connect(daemon.socket())) {
      // Half a HELLO: a length, and 3 of its bytes.
      halfway.channel().write(ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN).putInt(40)
          .put(new byte[] {1, 0, 0}).flip());

      assertThat(silent.read()).as("closed by the server, unanswered").isNull();
      assertThat(halfway.read()).isNull();
    }
    await(() -> daemon.server().connectionCount() == 0);
    try (RemoteNt good = daemon.connect()) {
      assertThat(good.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void aHelloFrameLargerThanTheHandshakeLimitClosesTheConnectionUnanswered() throws Exception {
    daemon = TestDaemon.start(directory, ServerLimits.DEFAULTS);
    try (RawClient greedy = RawClient.connect(daemon.socket())) {
      greedy.channel().write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(Handshake.MAX_HELLO_FRAME_BYTES + 1).flip());
      assertThat(greedy.read()).isNull();
    }
  }

  // Quotas ---------------------------------------------------------------------------------------

  @Test
  void aRequestBeyondTheInFlightQuotaIsRefusedWithQuotaExceededAndTheConnectionGoesOn() throws Exception {
    daemon = TestDaemon.start(directory, ServerLimits.DEFAULTS.withRequestsInFlight(3));
    RemoteNt admin = keep(daemon.connect());
    daemon.loadSample(admin, "Echo");
    Handle feeder = TestDaemon.openEcho(admin);
    RawClient raw = keep(RawClient.handshaken(daemon.socket()));
    Handle echo = raw.openEcho(1);
    for (long id = 10; id < 13; id++) {
      raw.readAsync(id, echo, 4);
      assertThat(raw.read().kind()).isEqualTo(Frame.Kind.REPLY);
    }

    raw.readAsync(13, echo, 4);
    Frame refused = raw.read();
    assertThat(refused.requestId()).isEqualTo(13);
    assertThat(RawClient.status(refused)).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
    assertThat(RawClient.message(refused)).contains("more than 3 requests in flight");
    raw.request(14, Opcode.QUERY_DRIVERS, new WireWriter());
    assertThat(RawClient.status(raw.read())).as("sync and overlapped count together")
        .isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);

    // One read completes: its place is free again, and the connection serves.
    assertThat(admin.writeFile(feeder, new byte[] {1, 2, 3, 4}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    Frame completion = raw.read();
    assertThat(completion.kind()).isEqualTo(Frame.Kind.COMPLETION);
    assertThat(completion.requestId()).isEqualTo(10);
    raw.request(15, Opcode.QUERY_DRIVERS, new WireWriter());
    Frame served = raw.read();
    assertThat(served.kind()).isEqualTo(Frame.Kind.REPLY);
    assertThat(served.requestId()).isEqualTo(15);
  }

  @Test
  void aReadAskingMoreThanTheProcessQuotaIsRefusedBeforeTheKernelAllocatesIt() throws Exception {
    long quota = 256 << 10;
    daemon = TestDaemon.start(directory, ClientPolicy.forThisHost(java.util.Set.of()), ServerLimits.DEFAULTS,
        config -> config.withProcessQuota(config.processPagedQuota(), quota));
    RemoteNt admin = keep(daemon.connect());
    daemon.loadSample(admin, "Echo");
    Handle feeder = TestDaemon.openEcho(admin);
    RawClient raw = keep(RawClient.handshaken(daemon.socket()));
    Handle echo = raw.openEcho(1);
    int length = 100 << 10;
    raw.readAsync(2, echo, length);
    assertThat(raw.read().kind()).isEqualTo(Frame.Kind.REPLY);
    raw.readAsync(3, echo, length);
    assertThat(raw.read().kind()).isEqualTo(Frame.Kind.REPLY);
    KProcess process = daemon.kernel().processes().lookup(raw.processId()).orElseThrow();
    assertThat(process.quotaBlock().usage(PoolType.NON_PAGED)).isGreaterThanOrEqualTo(2L * length);

    raw.readAsync(4, echo, length);
    Frame refused = raw.read();
    assertThat(refused.requestId()).isEqualTo(4);
    assertThat(RawClient.status(refused)).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
    assertThat(RawClient.message(refused)).contains("non-paged pool quota");

    // The first read completes and returns its charge: the same read is accepted now.
    assertThat(admin.writeFile(feeder, new byte[] {9}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(raw.read().kind()).isEqualTo(Frame.Kind.COMPLETION);
    raw.readAsync(5, echo, length);
    assertThat(raw.read().kind()).isEqualTo(Frame.Kind.REPLY);
  }
}
