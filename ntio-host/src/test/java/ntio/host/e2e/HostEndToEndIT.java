package ntio.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntio.host.e2e.Ntio.Result;
import ntio.host.e2e.Ntio.Running;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ntio} command line against a real {@code ntio host} process, each a JVM of its
 * own started from the shaded jar: what a new user does after reading the README.
 */
@Timeout(240)
class HostEndToEndIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path directory;

  private Ntio ntio;
  private Running host;

  @BeforeEach
  void install() throws IOException {
    ntio = Ntio.in(directory);
  }

  @AfterEach
  void stopHost() {
    if (host != null && host.process().isAlive()) {
      host.process().toHandle().destroy();
      host.awaitExit();
    }
  }

  private Path sample(String image) throws IOException {
    Path from = Path.of("target/classes/ntio/drivers", image).toAbsolutePath();
    Path to = directory.resolve(image);
    Files.copy(from, to);
    Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    return to;
  }

  private Result ok(String... args) {
    Result r = ntio.run(args);
    assertThat(r.exitCode()).as("ntio %s\n%s", String.join(" ", args), r).isZero();
    return r;
  }

  private JsonNode json(String... args) throws IOException {
    return JSON.readTree(ok(args).out());
  }

  /** Polls {@code sc query NAME} until it shows {@code state}. */
  private void awaitState(String service, String state) {
    long deadline = System.nanoTime() + Ntio.COMMAND_TIMEOUT.toNanos();
    Result last = null;
    while (System.nanoTime() < deadline) {
      last = ntio.run("sc", "query", service);
      if (last.out().contains(state)) {
        return;
      }
      Ntio.sleep(100);
    }
    throw new AssertionError(service + " never reached " + state + ":\n" + last);
  }

  @Test
  void T49_deferredUnloadThroughScAndShell() throws IOException {
    host = ntio.startHost();
    ok("sc", "create", "Echo", "--image", sample("Echo.jar").toString());
    assertThat(ok("sc", "start", "Echo").out()).contains("RUNNING");

    Running shell = ntio.start(List.of(), "shell");
    shell.send("open \\Device\\Echo --as e");
    shell.awaitOutput("0x4 e");
    shell.send("write e hello");
    shell.send("read e 5");
    shell.awaitOutput("hello");

    // The unload is asked for while the shell's handle is open: deferred.
    Result stop = ok("sc", "stop", "Echo");
    assertThat(stop.out()).contains("STOP_PENDING");
    assertThat(ok("sc", "query", "Echo").out()).contains("STOP_PENDING");
    assertThat(ok("obj", "ls", "\\Driver").out()).contains("Echo");
    assertThat(ok("obj", "info", "\\Device\\Echo").out()).contains("DOE_UNLOAD_PENDING");
    Result again = ntio.run("sc", "start", "Echo");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("STATUS_IMAGE_ALREADY_LOADED (0xC000010E)");

    // New opens are refused; I/O on the open handle still reaches the driver.
    shell.send("open \\Device\\Echo");
    shell.awaitOutput("STATUS_NO_SUCH_DEVICE (0xC000000E)");
    shell.send("write e again");
    shell.send("read e 5");
    shell.awaitOutput("again");

    // The last close lets the unload complete: DriverUnload runs, \Driver\Echo goes.
    shell.send("close e");
    awaitState("Echo", "STOPPED");
    assertThat(ok("obj", "ls", "\\Driver").out()).doesNotContain("Echo");
    shell.send("exit");
    assertThat(shell.awaitExit()).as(shell.output()).isEqualTo(1); // the refused open failed
    assertThat(ok("sc", "start", "Echo").out()).contains("RUNNING");
    ok("sc", "stop", "Echo");
    ok("sc", "delete", "Echo");
  }

  @Test
  void aClientKilledWhileHoldingAHandleAndAPendingReadLetsTheDeferredUnloadComplete() throws IOException {
    host = ntio.startHost();
    ok("sc", "create", "Echo", "--image", sample("Echo.jar").toString());
    ok("sc", "start", "Echo");
    Running shell = ntio.start(List.of(), "shell");
    shell.send("open \\Device\\Echo --as e");
    shell.send("read e 5"); // Echo's FIFO is empty: the read pends
    shell.awaitOutput("STATUS_PENDING (0x00000103)");
    assertThat(ok("sc", "stop", "Echo").out()).contains("STOP_PENDING");

    shell.process().destroyForcibly(); // SIGKILL: no goodbye, the host sees the socket close
    shell.awaitExit();

    awaitState("Echo", "STOPPED");
    assertThat(ok("driverquery").out()).doesNotContain("\\Driver\\Echo");
  }

  @Test
  void theHostKilledAndRestartedKeepsItsRegistryAndLoadsItsStartDriversAgain() throws IOException {
    host = ntio.startHost();
    ok("sc", "create", "Null", "--image", sample("Null.jar").toString(), "--start", "system");
    ok("sc", "create", "Echo", "--image", sample("Echo.jar").toString(), "--start", "auto");
    ok("sc", "create", "Tidy", "--image", sample("Tidy.jar").toString(), "--start", "demand");
    ok("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Echo\\Parameters", "--value", "Greeting",
        "--type", "REG_SZ", "--data", "kept");

    host.process().destroyForcibly(); // SIGKILL: no shutdown, the lock file stays behind
    host.awaitExit();
    assertThat(ntio.state().resolve("ntio.lock")).exists();

    host = ntio.startHost();
    assertThat(ok("reg", "query", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Echo\\Parameters",
        "--value", "Greeting").out()).contains("kept");
    JsonNode drivers = json("driverquery", "--json");
    assertThat(drivers.toString()).contains("\\\\Driver\\\\Null", "\\\\Driver\\\\Echo")
        .doesNotContain("\\\\Driver\\\\Tidy");
    assertThat(host.output()).contains("Null", "Echo");
  }

  @Test
  void sigtermUnloadsTheDriversAndReleasesTheStateDirectory() throws IOException {
    host = ntio.startHost();
    ok("sc", "create", "Null", "--image", sample("Null.jar").toString());
    ok("sc", "create", "Echo", "--image", sample("Echo.jar").toString());
    ok("sc", "start", "Null");
    ok("sc", "start", "Echo");
    Running second = ntio.start(List.of(), "host");
    assertThat(second.awaitExit()).isEqualTo(1);
    assertThat(second.output()).contains("pid " + host.process().pid());

    host.process().toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
    host.awaitExit();
    String log = host.output();
    assertThat(log.indexOf("Unloaded Echo")).as(log).isPositive().isLessThan(log.indexOf("Unloaded Null"));
    assertThat(ntio.state().resolve("ntio.lock")).doesNotExist();
    assertThat(ntio.socket()).doesNotExist();
    assertThat(ok("--embedded", "sc", "query", "Echo").out()).contains("STOPPED");
  }

  @Test
  void anotherUserIsRefusedWhereNtRefusesAndCannotUseAnotherClientsHandles() throws IOException {
    assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "switching to another uid needs root; this run is not root");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
    List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    host = ntio.startHost("--socket-group", "65534");
    ok("sc", "create", "Echo", "--image", sample("Echo.jar").toString());
    ok("sc", "start", "Echo");
    Running admin = ntio.start(List.of(), "shell");
    admin.send("open \\Device\\Echo --as e");
    admin.awaitOutput("0x4 e");

    Result who = ntio.runAs(nobody, null, "whoami", "--json");
    assertThat(who.exitCode()).as(who.toString()).isZero();
    assertThat(JSON.readTree(who.out()).get("user").get("sid").asText()).isEqualTo("S-1-22-1-65534");

    Result stop = ntio.runAs(nobody, null, "sc", "stop", "Echo");
    assertThat(stop.exitCode()).isEqualTo(1);
    assertThat(stop.err()).contains("STATUS_PRIVILEGE_NOT_HELD (0xC0000061)");
    Result start = ntio.runAs(nobody, null, "sc", "start", "Echo");
    assertThat(start.err()).contains("STATUS_PRIVILEGE_NOT_HELD (0xC0000061)");
    Result write = ntio.runAs(nobody, null, "reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Echo",
        "--value", "Start", "--type", "REG_DWORD", "--data", "2");
    assertThat(write.exitCode()).isEqualTo(1);
    assertThat(write.err()).contains("STATUS_ACCESS_DENIED (0xC0000022)");
    // Reading is allowed, as HKLM\SYSTEM is readable by Everyone.
    assertThat(ntio.runAs(nobody, null, "sc", "query", "Echo").out()).contains("RUNNING");

    // The administrator's handle 0x4 means nothing in nobody's process.
    Result foreign = ntio.runAs(nobody, "read 0x4 1\n", "shell");
    assertThat(foreign.err()).contains("STATUS_INVALID_HANDLE (0xC0000008)");
    admin.send("write e still-mine");
    admin.send("read e 10");
    admin.awaitOutput("still-mine");
    admin.endInput();
    admin.awaitExit();
  }

  @Test
  void malformedFramesDropOnlyTheirOwnClient() throws IOException {
    host = ntio.startHost();
    ok("sc", "create", "Null", "--image", sample("Null.jar").toString());
    ok("sc", "start", "Null");
    Running shell = ntio.start(List.of(), "shell");
    shell.send("open \\Device\\Null --as n");
    try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      raw.connect(UnixDomainSocketAddress.of(ntio.socket()));
      ByteBuffer garbage = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      garbage.putInt(0x7FFF_FFFF).put("not a frame at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      garbage.flip();
      raw.write(garbage);
      ByteBuffer answer = ByteBuffer.allocate(16);
      int read = 0;
      try {
        while (read >= 0) {
          answer.clear();
          read = raw.read(answer); // the host closes this connection: end of stream
        }
      } catch (java.net.SocketException reset) {
        // or resets it, when it closes with the garbage still unread: dropped either way
      }
    }
    assertThat(ok("whoami").out()).contains("PRIVILEGES INFORMATION");
    shell.send("handles");
    shell.awaitOutput("\\Device\\Null");
    shell.endInput();
    assertThat(shell.awaitExit()).isZero();
    assertThat(host.process().isAlive()).isTrue();
  }

  @Test
  void everyCommandWorksAgainstTheDaemonAndItsJsonParses() throws IOException {
    host = ntio.startHost();
    // obj
    assertThat(json("obj", "ls", "\\", "--json").get("entries").toString()).contains("Device", "Driver");
    assertThat(json("obj", "info", "\\Device", "--json").get("type").asText()).isEqualTo("Directory");
    // reg
    ok("reg", "add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\E2E", "--value", "Answer", "--type", "REG_DWORD",
        "--data", "42");
    assertThat(json("reg", "query", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\E2E", "--json").toString())
        .contains("Answer", "0x2a");
    Path exported = directory.resolve("e2e.reg");
    ok("reg", "export", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\E2E", exported.toString());
    assertThat(Files.readString(exported, java.nio.charset.StandardCharsets.UTF_16LE)
        + Files.readString(exported, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("Answer");
    ok("reg", "delete", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\E2E");
    assertThat(ntio.run("reg", "query", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\E2E").exitCode()).isEqualTo(1);
    ok("reg", "import", exported.toString());
    assertThat(ok("reg", "query", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\E2E").out()).contains("Answer");
    // whoami, poolmon
    assertThat(json("whoami", "--priv", "--json").get("privileges").toString()).contains("SeLoadDriverPrivilege");
    assertThat(json("poolmon", "--json").has("byTag")).isTrue();
    // sc and driverquery
    ok("sc", "create", "Tidy", "--image", sample("Tidy.jar").toString());
    ok("sc", "create", "Null", "--image", sample("Null.jar").toString());
    // verifier: DV2, persisted, applies at the next load
    ok("verifier", "--standard", "--driver", "Null.jar");
    assertThat(json("verifier", "--querysettings", "--json").toString()).contains("Null.jar");
    ok("sc", "start", "Null");
    assertThat(json("sc", "query", "Null", "--json").toString()).contains("RUNNING");
    assertThat(json("sc", "query", "--json").toString()).contains("Null", "Tidy");
    assertThat(json("driverquery", "--json").toString()).contains("Null");
    assertThat(json("verifier", "--query", "--json").toString()).contains("Null.jar");
    ok("sc", "stop", "Null");
    ok("verifier", "--reset");
    ok("sc", "delete", "Tidy");
    // crash: none written yet
    assertThat(ok("crash", "ls").exitCode()).isZero();
    assertThat(json("crash", "ls", "--json").isArray() || json("crash", "ls", "--json").isObject()).isTrue();
    // --help everywhere
    for (String command : List.of("host", "shell", "sc", "driverquery", "verifier", "obj", "reg", "whoami", "poolmon",
        "crash", "demo")) {
      assertThat(ok(command, "--help").out()).as(command).contains("Usage:");
    }
  }
}
