package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.api.HandleEntry;
import ntio.api.UnixPid;
import ntio.ddk.NtStatus;
import ntio.host.wire.Handshake;
import ntio.host.wire.RemoteNt;
import ntio.host.wire.TestDaemon;
import ntio.host.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket client's Unix pid: stated in its HELLO (protocol version 5), checked by the host against
 * {@code /proc} (the process exists and runs as the socket peer's uid), and listed next to the
 * kernel's process id — or not shown when the check fails. Real connections over the daemon's
 * socket; the client is this JVM, so the pid it states is its own.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientUnixPidTest {

  @TempDir Path directory;
  @TempDir Path fakeProc;

  private static UnixPid unixPidOf(RemoteNt viewer, int processId) {
    return viewer.queryHandles().rows().stream().filter(e -> e.processId() == processId)
        .map(HandleEntry::unixPid).findFirst().orElseThrow();
  }

  @Test
  void aClientsHandlesAndHoldersCarryTheUnixPidItStatedAsClaimed() throws IOException {
    try (TestDaemon daemon = TestDaemon.start(directory); RemoteNt client = daemon.connect()) {
      daemon.loadSample(client, "Echo");
      TestDaemon.openEcho(client);
      assertThat(client.unloadDriver(ntio.ddk.UnicodeString.of(TestDaemon.SERVICES + "Echo")))
          .isEqualTo(NtStatus.STATUS_SUCCESS);

      UnixPid expected = UnixPid.claimed(ProcessHandle.current().pid());
      assertThat(unixPidOf(client, client.processId())).isEqualTo(expected);
      assertThat(client.queryDriverHolders("Echo").holders()).singleElement()
          .satisfies(h -> assertThat(h.unixPid()).isEqualTo(expected));
    }
  }

  @Test
  void aPidOfNoLiveProcessIsNotShown() throws IOException {
    long noSuchPid = (1 << 22) + 1; // above PID_MAX_LIMIT, the largest pid_max Linux allows
    try (TestDaemon daemon = TestDaemon.start(directory); RemoteNt admin = daemon.connect();
        RawClient raw = RawClient.connect(daemon.socket())) {
      daemon.loadSample(admin, "Echo");
      raw.send(new Handshake.Hello(Handshake.VERSION, "liar", noSuchPid).toFrame());
      Handshake.Welcome welcome = raw.welcome();
      assertThat(welcome.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      raw.openEcho(1);

      java.util.List<HandleEntry> rows = admin.queryHandles().rows();
      assertThat(rows).as("the raw client's handle").filteredOn(e -> e.processName().equals("liar"))
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.unixPid()).as("pid %d stated", noSuchPid).isEqualTo(UnixPid.UNKNOWN));
    }
  }

  @Test
  void aVersion4HelloWithoutAPidIsStillReadAndAnsweredWithRevisionMismatch() throws IOException {
    try (TestDaemon daemon = TestDaemon.start(directory); RawClient raw = RawClient.connect(daemon.socket())) {
      WireWriter v4 = new WireWriter().i32(Handshake.MAGIC).u16(4).string("old");
      raw.send(new ntio.host.wire.Frame(ntio.host.wire.Frame.Kind.HELLO, 0, 0, v4.toByteArray()));

      Handshake.Welcome welcome = raw.welcome();

      assertThat(welcome.status()).isEqualTo(NtStatus.STATUS_REVISION_MISMATCH);
      assertThat(welcome.version()).isEqualTo(Handshake.VERSION);
    }
  }

  @Test
  void theCheckAcceptsOnlyALiveProcessOfThePeersEffectiveUid() throws IOException {
    Files.createDirectories(fakeProc.resolve("300"));
    Files.writeString(fakeProc.resolve("300/status"), "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\n",
        StandardCharsets.UTF_8);
    Files.createDirectories(fakeProc.resolve("301"));
    Files.writeString(fakeProc.resolve("301/status"), "Name:\tsu\nUid:\t1000\t0\t0\t0\n", StandardCharsets.UTF_8);
    ClaimedPids pids = new ClaimedPids(fakeProc);

    assertThat(pids.check(300, 1000)).isEqualTo(new ClaimedPids.Checked(UnixPid.claimed(300), ""));
    assertThat(pids.check(300, 1001).pid()).isEqualTo(UnixPid.UNKNOWN);
    assertThat(pids.check(300, 1001).refusal()).isEqualTo("process 300 runs as uid 1000, the client as uid 1001");
    assertThat(pids.check(301, 1000).pid()).as("the effective uid counts").isEqualTo(UnixPid.UNKNOWN);
    assertThat(pids.check(302, 1000).refusal()).startsWith("no process 302 is visible");
    assertThat(pids.check(0, 1000)).isEqualTo(new ClaimedPids.Checked(UnixPid.UNKNOWN, ""));
    int ownUid = ClientPolicy.hostUid();
    assertThat(new ClaimedPids().check(ProcessHandle.current().pid(), ownUid).pid())
        .isEqualTo(UnixPid.claimed(ProcessHandle.current().pid()));
  }
}
