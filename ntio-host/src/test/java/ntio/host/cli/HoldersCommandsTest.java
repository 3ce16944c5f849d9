package ntio.host.cli;

import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Who holds it": {@code sc stop} and {@code sc query} on a STOP_PENDING driver name what holds it
 * ({@code HELD_BY}), and {@code ntio handle} lists open handles by process as handle.exe does, each
 * command a client process of one kernel that stays up, holders real client processes of it.
 */
@Timeout(60)
class HoldersCommandsTest {

  @TempDir Path state;

  private static OpenResult openEcho(LocalNt client) {
    OpenResult echo = client.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of("\\??\\Echo"), 0, 0);
    assertThat(echo.status().isSuccess()).as("open %s", echo.status()).isTrue();
    return echo;
  }

  private static void startSample(RunningKernel kernel, String name) {
    assertThat(kernel.admin("sc", "create", name, "--image", sampleImage(name).toString()).exitCode()).isZero();
    assertThat(kernel.admin("sc", "start", name).exitCode()).isZero();
  }

  private static String user(int uid) {
    return new ntio.host.daemon.UnixAccounts().userName(uid).map(n -> n + " (uid " + uid + ")")
        .orElse("uid " + uid);
  }

  @Test
  void stopOnAHeldDriverNamesTheHandleItsProcessPidAndUserAndQuerySaysTheSame() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      startSample(kernel, "Echo");
      try (LocalNt holder = kernel.client()) {
        OpenResult echo = openEcho(holder);
        String held = "HELD_BY : handle 0x" + Integer.toHexString(echo.handle().value()).toUpperCase()
            + " of process " + holder.processId() + " (holder, user " + user(1000) + ") on \\Device\\Echo";

        Result stop = kernel.admin("sc", "stop", "Echo");

        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.outLines()).contains("STATE : 3 STOP_PENDING", "OPEN_REFERENCES : 1", held);
        assertThat(kernel.admin("sc", "query", "Echo").outLines()).contains(held);
        holder.close(echo.handle());
        kernel.awaitDriverGone("\\Driver\\Echo", "Echo.jar");
      }
      assertThat(kernel.admin("sc", "query", "Echo").out()).contains("STOPPED").doesNotContain("HELD_BY");
    }
  }

  @Test
  void aRunningDriverPrintsNoHeldByLine() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      startSample(kernel, "Echo");
      try (LocalNt holder = kernel.client()) {
        openEcho(holder);
        Result query = kernel.admin("sc", "query", "Echo");
        assertThat(query.outLines()).contains("STATE : 4 RUNNING", "OPEN_REFERENCES : 1");
        assertThat(query.out()).doesNotContain("HELD_BY");
      }
    }
  }

  @Test
  void theFilterOnTopAndAPendingReadAreEachALineUnderHeldBy() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      startSample(kernel, "Echo");
      startSample(kernel, "Filter");
      try (LocalNt holder = kernel.client()) {
        OpenResult echo = openEcho(holder);
        PendingIo read = holder.readFileAsync(echo.handle(), 16, 0);
        assertThat(read.status()).isEqualTo(NtStatus.STATUS_PENDING);

        Result stop = kernel.admin("sc", "stop", "Echo");

        assertThat(stop.exitCode()).as(stop.err()).isZero();
        // The file object is Echo's (the device named), though its requests go through Filter on top.
        String who = "process " + holder.processId() + " (holder, user " + user(1000) + ")";
        assertThat(stop.outLines()).containsSequence(
            "HELD_BY : handle 0x" + Integer.toHexString(echo.handle().value()) + " of " + who + " on \\Device\\Echo",
            "an unnamed device of \\Driver\\Filter attached on top of \\Device\\Echo",
            "IRP_MJ_READ pending in the driver, from " + who
                + " on \\Device\\Echo (runs the driver's code; does not block the unload)");
        holder.close(echo.handle());
      }
      assertThat(kernel.admin("sc", "stop", "Filter").exitCode()).isZero();
      kernel.awaitDriverGone("\\Driver\\Echo", "Echo.jar");
    }
  }

  @Test
  void queryJsonCarriesTheHoldersAsFields() throws IOException {
    try (RunningKernel kernel = new RunningKernel(state)) {
      startSample(kernel, "Echo");
      try (LocalNt holder = kernel.client()) {
        OpenResult echo = openEcho(holder);
        assertThat(kernel.admin("sc", "stop", "Echo").exitCode()).isZero();

        JsonNode doc = new ObjectMapper().readTree(kernel.admin("sc", "query", "Echo", "--json").out());

        JsonNode first = doc.get("holders").get(0);
        assertThat(doc.get("holders")).hasSize(1);
        assertThat(first.get("kind").asText()).isEqualTo("OPEN_HANDLE");
        assertThat(first.get("processId").asInt()).isEqualTo(holder.processId());
        assertThat(first.get("unixUid").asInt()).isEqualTo(1000);
        assertThat(first.get("handle").asText()).isEqualTo("0x" + Integer.toHexString(echo.handle().value()).toUpperCase());
        assertThat(first.get("blocksUnload").asBoolean()).isTrue();
        holder.close(echo.handle());
      }
    }
  }

  @Test
  void handleListsOpenHandlesByProcessAndFiltersByPidAndName() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      startSample(kernel, "Echo");
      try (LocalNt holder = kernel.client()) {
        OpenResult echo = openEcho(holder);
        String row = "holder " + holder.processId() + " - " + user(1000) + " 0x"
            + Integer.toHexString(echo.handle().value()).toUpperCase() + " File \\Device\\Echo";

        Result all = kernel.admin("handle");
        Result byPid = kernel.admin("handle", "-p", String.valueOf(holder.processId()));
        Result byName = kernel.admin("handle", "echo");
        Result otherName = kernel.admin("handle", "-p", String.valueOf(holder.processId()), "NoSuchThing");

        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.outLines().get(0)).isEqualTo("Process PID Unix PID User Handle Type Name");
        assertThat(all.outLines()).contains(row);
        assertThat(byPid.outLines()).hasSize(2).contains(row);
        assertThat(byName.outLines()).contains(row);
        assertThat(byName.outLines().subList(1, byName.outLines().size())).allMatch(l -> l.contains("\\Device\\Echo"));
        assertThat(otherName.outLines()).containsExactly("No matching handles found.");
        assertThat(kernel.admin("handle", "-p", "99999").outLines()).containsExactly("No matching handles found.");
        assertThat(kernel.admin("handle", "-p", "hold").outLines()).contains(row);
      }
    }
  }

  @Test
  void handleJsonAndAStandardUserSeesOnlyTheirOwnProcesses() throws IOException {
    try (RunningKernel kernel = new RunningKernel(state)) {
      startSample(kernel, "Echo");
      try (LocalNt holder = kernel.client()) {
        openEcho(holder);

        JsonNode doc = new ObjectMapper().readTree(kernel.admin("handle", "--json", "Echo").out());
        Result asUser = kernel.user("handle");

        assertThat(doc.get("handles")).anySatisfy(h -> {
          assertThat(h.get("pid").asInt()).isEqualTo(holder.processId());
          assertThat(h.get("type").asText()).isEqualTo("File");
          assertThat(h.get("name").asText()).isEqualTo("\\Device\\Echo");
        });
        assertThat(asUser.exitCode()).isZero();
        assertThat(asUser.out()).doesNotContain("holder").doesNotContain("\\Device\\Echo");
      }
    }
  }
}
