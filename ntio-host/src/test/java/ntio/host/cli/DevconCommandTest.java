package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.DevNodeInfo;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.host.cli.devcon.PnpTestDriver;
import ntio.host.daemon.crash.CrashImages;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code ntio devcon} as a user runs it, on one kernel kept up across commands (as the daemon's):
 * a WDM PnP driver's device installed, looked at (status, stack, tree, JSON, the SVG picture),
 * disabled, enabled, restarted and removed, the driver unloading with its last device; a veto by
 * an open handle named; a standard user refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DevconCommandTest {

  static final String INSTANCE = "ROOT\\PNPTEST\\0000";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path state;
  @TempDir Path files;
  private RunningKernel kernel;

  @BeforeEach
  void installTheService() throws Exception {
    kernel = new RunningKernel(state);
    Path jar = files.resolve("PnpTest.jar");
    Files.write(jar, CrashImages.image(PnpTestDriver.class, true));
    Result created = kernel.admin("sc", "create", "PnpTest", "--image", jar.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  @AfterEach
  void stop() {
    kernel.close();
  }

  private Result install() {
    Result installed = kernel.admin("devcon", "install", "PnpTest", "Root\\PnpTest");
    assertThat(installed.exitCode()).as(installed.out() + installed.err()).isZero();
    return installed;
  }

  @Test
  void installThenStatusStackAndTreeShowTheStartedDeviceAndRemoveUnloadsItsDriver() {
    Result installed = install();
    assertThat(installed.outLines()).containsSequence("Device node created: " + INSTANCE, INSTANCE)
        .contains("Service: PnpTest", "State: DeviceNodeStarted", "Driver is running.");

    Result status = kernel.admin("devcon", "status", "root\\pnptest\\0000");
    assertThat(status.exitCode()).isZero();
    assertThat(status.outLines()).containsExactly(INSTANCE, "Hardware IDs: Root\\PnpTest", "Service: PnpTest",
        "State: DeviceNodeStarted", "Driver is running.", "1 matching device(s) found.");

    Result stack = kernel.admin("devcon", "stack", INSTANCE);
    assertThat(stack.exitCode()).isZero();
    List<String> lines = stack.outLines();
    assertThat(lines).startsWith(INSTANCE, "Upper filters: (none)", "Service: PnpTest", "Lower filters: (none)",
        "Role Device Driver Service");
    assertThat(lines.get(5)).startsWith("FDO " + PnpTestDriver.DEVICE_PREFIX).endsWith("\\Driver\\PnpTest PnpTest");
    assertThat(lines.get(6)).startsWith("PDO \\Device\\");
    assertThat(lines).hasSize(7);

    Result tree = kernel.admin("devcon", "tree");
    assertThat(tree.exitCode()).isZero();
    assertThat(tree.out().lines().toList()).first().asString().startsWith("HTREE\\ROOT\\0  DeviceNodeStarted");
    assertThat(tree.out().lines().toList()).contains("  " + INSTANCE + "  DeviceNodeStarted");

    Result removed = kernel.admin("devcon", "remove", INSTANCE);
    assertThat(removed.exitCode()).as(removed.err()).isZero();
    assertThat(removed.outLines()).containsExactly(INSTANCE + ": Removed");
    kernel.awaitDriverGone("\\Driver\\PnpTest", "PnpTest.jar");
    Result gone = kernel.admin("devcon", "status", INSTANCE);
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(gone.errLines()).containsExactly(
        "ntio: no device matches " + INSTANCE + ": " + NtStatus.STATUS_NO_SUCH_DEVICE);
  }

  @Test
  void aRemoveVetoedByAnOpenHandleSaysWhoVetoedAndWhyAndFails() throws Exception {
    install();
    String fdo = fdoName();
    LocalNt holder = kernel.client();
    OpenResult opened = holder.createFile(AccessMask.GENERIC_READ, ObjectAttributes.of(fdo), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    Result vetoed = kernel.admin("devcon", "remove", INSTANCE);
    Result vetoedJson = kernel.admin("devcon", "remove", INSTANCE, "--json");

    assertThat(vetoed.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(vetoed.errLines()).hasSize(2);
    assertThat(vetoed.errLines().get(0)).startsWith("ntio: cannot remove " + INSTANCE + ": ");
    assertThat(vetoed.errLines().get(1)).startsWith("  vetoed by ").contains("(PNP_VetoOutstandingOpen)");
    JsonNode doc = JSON.readTree(vetoedJson.out());
    assertThat(vetoedJson.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(doc.get("vetoed").asBoolean()).isTrue();
    assertThat(doc.get("vetoType").asText()).isEqualTo("PNP_VetoOutstandingOpen");
    assertThat(kernel.admin("devcon", "status", INSTANCE).outLines()).contains("Driver is running.");

    assertThat(holder.close(opened.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    Result removed = kernel.admin("devcon", "remove", INSTANCE);
    assertThat(removed.exitCode()).as(removed.err()).isZero();
  }

  @Test
  void disableKeepsTheDeviceDownUntilEnableAndRestartBringsItBackUp() {
    install();

    assertThat(kernel.admin("devcon", "disable", INSTANCE).outLines()).containsExactly(INSTANCE + ": Disabled");
    assertThat(kernel.admin("devcon", "status", INSTANCE).outLines()).contains("Device is disabled.");
    assertThat(kernel.admin("devcon", "enable", INSTANCE).outLines()).containsExactly(INSTANCE + ": Enabled");
    assertThat(kernel.admin("devcon", "status", INSTANCE).outLines()).contains("Driver is running.");
    assertThat(kernel.admin("devcon", "restart", INSTANCE).outLines()).containsExactly(INSTANCE + ": Restarted");
    assertThat(kernel.admin("devcon", "status", INSTANCE).outLines()).contains("Driver is running.");
  }

  @Test
  void aStandardUserIsRefusedWithStatusPrivilegeNotHeldAndChangesNothing() {
    Result refused = kernel.user("devcon", "install", "PnpTest", "Root\\PnpTest");

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(refused.errLines()).containsExactly(
        "ntio: cannot install Root\\PnpTest for PnpTest: " + NtStatus.STATUS_PRIVILEGE_NOT_HELD);
    assertThat(kernel.user("devcon", "status", INSTANCE).exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
  }

  @Test
  void statusStackAndTreeInJsonAreOneDocumentEach() throws Exception {
    install();

    JsonNode status = JSON.readTree(kernel.admin("devcon", "status", INSTANCE, "--json").out());
    JsonNode device = status.get("devices").get(0);
    assertThat(device.get("instancePath").asText()).isEqualTo(INSTANCE);
    assertThat(device.get("state").asText()).isEqualTo("DeviceNodeStarted");
    assertThat(device.get("started").asBoolean()).isTrue();
    assertThat(device.get("problem").asInt()).isZero();
    assertThat(device.get("service").asText()).isEqualTo("PnpTest");

    JsonNode stack = JSON.readTree(kernel.admin("devcon", "stack", INSTANCE, "--json").out());
    assertThat(stack.get("stack").findValuesAsText("role")).containsExactly("FDO", "PDO");

    JsonNode tree = JSON.readTree(kernel.admin("devcon", "tree", "--json").out());
    JsonNode rootNode = tree.get("tree").get(0);
    assertThat(rootNode.get("instancePath").asText()).isEqualTo("HTREE\\ROOT\\0");
    assertThat(rootNode.get("children").findValuesAsText("instancePath")).contains(INSTANCE);

    JsonNode installed = JSON.readTree(kernel.admin("devcon", "remove", INSTANCE, "--json").out());
    assertThat(installed.get("status").asText()).isEqualTo("STATUS_SUCCESS");
    assertThat(installed.get("vetoed").asBoolean()).isFalse();
  }

  @Test
  void treeSvgDrawsEveryDevnodeOfTheKernelInAValidFileOfMode0644() throws Exception {
    install();
    Path picture = files.resolve("tree.svg");

    Result drawn = kernel.admin("devcon", "tree", "--svg", picture.toString());

    assertThat(drawn.exitCode()).as(drawn.err()).isZero();
    List<DevNodeInfo> devnodes = kernel.client().queryDeviceTree().rows();
    assertThat(drawn.outLines()).containsExactly(
        "Wrote the device tree (" + devnodes.size() + " devnodes) to " + picture);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(picture))).isEqualTo("rw-r--r--");
    Document svg = DeviceTreeSvgTest.parse(Files.readString(picture));
    assertThat(DeviceTreeSvgTest.devnodes(svg)).extracting(g -> g.getAttribute("data-instance-path"))
        .containsExactlyInAnyOrderElementsOf(devnodes.stream().map(DevNodeInfo::instancePath).toList())
        .contains(INSTANCE);
  }

  @Test
  void anUnknownInstanceIsTheKernelsStatusAndExitCode1() {
    Result removed = kernel.admin("devcon", "remove", "ROOT\\NOTHING\\0000");

    assertThat(removed.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(removed.errLines()).singleElement().asString().startsWith("ntio: cannot remove ROOT\\NOTHING\\0000: ");
    assertThat(kernel.admin("devcon", "stack", "ROOT\\NOTHING\\0000").errLines())
        .containsExactly("ntio: no device ROOT\\NOTHING\\0000: " + NtStatus.STATUS_NO_SUCH_DEVICE);
  }

  /** The FDO's name, as the stack shows it. */
  private String fdoName() {
    DevNodeInfo node = kernel.client().queryDeviceTree().rows().stream()
        .filter(n -> n.instancePath().equals(INSTANCE)).findFirst().orElseThrow();
    return node.stack().stream().filter(layer -> layer.role().equals("FDO")).findFirst().orElseThrow().deviceName();
  }
}
