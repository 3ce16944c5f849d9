package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.wire.RemoteNt;
import ntio.kernel.io.StartDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * "What still holds my driver?" across real processes: a real {@code ntio host} process, this JVM
 * holding a handle over its socket, and real {@code ntio} CLI processes asking — {@code sc stop}
 * and {@code ntio handle} name the holder by its Unix pid (this JVM's), {@code handle -p} takes
 * that pid, and the host's connect line (DEBUG) says it.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(180)
class HostClientPidProcessTest {

  @TempDir Path state;
  @TempDir Path logs;

  @Test
  void stopAndHandleNameTheHoldersUnixPidAndHandleTakesIt() throws Exception {
    HostRuntimeFixtures.offline(state, kernel -> HostRuntimeFixtures.installSample(kernel, "Echo",
        StartDrivers.AUTO_START));
    long ownPid = ProcessHandle.current().pid();
    try (HostProcess host = HostProcess.start(state, logs.resolve("host.log"),
        "-Dorg.slf4j.simpleLogger.log.ntio.host.daemon.ClientConnection=debug")) {
      try (RemoteNt nt = RemoteNt.connect(host.socket(), "pidholder")) {
        OpenResult echo = nt.createFile(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\Echo"), 0, 0);
        assertThat(echo.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
        host.awaitLog("connected: process " + nt.processId() + " (pidholder, uid ");

        String stop = host.cli("sc", "stop", "Echo");
        String handles = host.cli("handle", "-p", Long.toString(ownPid));

        assertThat(stop).contains("HELD_BY").contains("of process " + nt.processId() + " (pidholder, Unix pid "
            + ownPid + " (claimed), user ");
        assertThat(handles.lines().findFirst().orElseThrow().replaceAll(" +", " "))
            .isEqualTo("Process PID Unix PID User Handle Type Name");
        assertThat(handles).contains(ownPid + " (claimed)").contains("\\Device\\Echo");
        assertThat(handles.lines().skip(1).toList()).isNotEmpty().allMatch(l -> l.startsWith("pidholder "));
        assertThat(host.log()).containsPattern("connected: process " + nt.processId()
            + " \\(pidholder, uid \\d+, Unix pid " + ownPid + " claimed\\)");
        nt.close(echo.handle());
      }
      assertThat(host.cli("sc", "query", "Echo")).doesNotContain("HELD_BY");
    }
  }
}
