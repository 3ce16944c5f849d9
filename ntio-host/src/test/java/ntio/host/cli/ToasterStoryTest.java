package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DriverInfo;
import ntio.api.OpenResult;
import ntio.api.SystemResult;
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
 * The toaster story of issue 18 end to end through the command line, as docs/pnp.md tells it: the
 * three samples installed with {@code sc create}, the bus with {@code devcon install}, the toaster's
 * function driver and filter with {@code devcon update}; two toasters plugged in grow the tree, one
 * is opened, the other unplugged; a removal is vetoed by the open handle, succeeds after the close,
 * and takes the function driver's last device, so the driver unloads.
 */
@Timeout(120)
class ToasterStoryTest {

  private static final String TOASTER_ID = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster";

  @TempDir
  Path state;

  @Test
  void installPlugOpenUnplugVetoCloseRemoveAndTheFunctionDriverUnloadsAtTheLastRemoval() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      for (String sample : List.of("ToasterBus", "Toaster", "ToasterFilter")) {
        assertThat(kernel.admin("sc", "create", sample, "--image", CliHarness.sampleImage(sample).toString())
            .exitCode()).as("sc create " + sample).isZero();
      }
      Result bus = kernel.admin("devcon", "install", "ToasterBus", "Root\\ToasterBus");
      assertThat(bus.exitCode()).as(bus.err()).isZero();
      assertThat(bus.out()).contains("Device node created: ROOT\\TOASTERBUS\\0000");
      Result update = kernel.admin("devcon", "update", "Toaster", TOASTER_ID, "--upper-filter", "ToasterFilter");
      assertThat(update.exitCode()).as(update.err()).isZero();
      assertThat(update.outLines()).first().isEqualTo(
          "Toaster serves " + TOASTER_ID + "; installed on 0 present device(s).");

      assertThat(kernel.admin("toaster", "plug", "1").exitCode()).isZero();
      assertThat(kernel.admin("toaster", "plug", "2").exitCode()).isZero();
      String one = TOASTER_ID + "\\1";
      String two = TOASTER_ID + "\\2";
      awaitStarted(kernel, one, two);

      Result tree = kernel.admin("devcon", "tree");
      assertThat(tree.out()).contains("ROOT\\TOASTERBUS\\0000", one, two);
      Result stack = kernel.admin("devcon", "stack", one);
      assertThat(stack.out()).contains("UpperFilter", "ToasterFilter", "FDO", "\\Driver\\Toaster", "PDO");
      try (LocalNt nt = kernel.client()) {
        DevNodeInfo node = tree(nt).stream().filter(n -> n.instancePath().equalsIgnoreCase(one)).findFirst()
            .orElseThrow();
        assertThat(node.stack()).extracting(layer -> layer.role() + " " + layer.service())
            .containsExactly("UpperFilter ToasterFilter", "FDO Toaster", "PDO ToasterBus");
      }

      try (LocalNt user = kernel.client()) {
        OpenResult opened = user.openFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
            ObjectAttributes.of(topDeviceOf(kernel, one)), 0, 0);
        assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

        assertThat(kernel.admin("toaster", "unplug", "2").exitCode()).isZero();
        awaitGone(kernel, two);
        assertThat(loaded(kernel, "Toaster")).as("toaster 1 still uses the function driver").isTrue();

        Result vetoed = kernel.admin("devcon", "remove", one);
        assertThat(vetoed.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(vetoed.err()).contains("vetoed by");
        assertThat(loaded(kernel, "Toaster")).isTrue();

        assertThat(user.close(opened.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
      }
      Result removed = kernel.admin("devcon", "remove", one);
      assertThat(removed.exitCode()).as(removed.err()).isZero();
      // The PnP unload runs on a worker once the last device is gone, as NT's does.
      awaitUnloaded(kernel, "Toaster");
      awaitUnloaded(kernel, "ToasterFilter");
      assertThat(loaded(kernel, "ToasterBus")).as("the bus still has its own device").isTrue();
      assertThat(kernel.admin("sc", "query", "Toaster").out()).contains("STOPPED");
    }
  }

  /** The name of the device on top of {@code instance}'s stack, as {@code devcon stack} lists it. */
  private static String topDeviceOf(RunningKernel kernel, String instance) {
    try (LocalNt nt = kernel.client()) {
      DevNodeInfo node = tree(nt).stream().filter(n -> n.instancePath().equalsIgnoreCase(instance)).findFirst()
          .orElseThrow();
      return node.stack().stream().map(layer -> layer.deviceName()).filter(name -> !name.isEmpty())
          .filter(name -> name.startsWith("\\Device\\Toaster")).findFirst().orElseThrow();
    }
  }

  private static void awaitStarted(RunningKernel kernel, String... instances) {
    await(kernel, nodes -> List.of(instances).stream().allMatch(path -> nodes.stream().anyMatch(
        n -> n.instancePath().equalsIgnoreCase(path) && n.state().equals("DeviceNodeStarted"))));
  }

  private static void awaitGone(RunningKernel kernel, String instance) {
    await(kernel, nodes -> nodes.stream().noneMatch(
        n -> n.instancePath().equalsIgnoreCase(instance) && n.state().equals("DeviceNodeStarted")));
  }

  /** Enumeration runs on the PnP manager's worker, after the bus's control code returned. */
  private static void await(RunningKernel kernel, java.util.function.Predicate<List<DevNodeInfo>> done) {
    try (LocalNt nt = kernel.client()) {
      poll("the device tree to settle", () -> done.test(tree(nt)));
    }
  }

  /** Waits up to 20 s for {@code done}, polling every 10 ms; fails naming {@code what}. */
  private static void poll(String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s for %s", what).isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<DevNodeInfo> tree(LocalNt nt) {
    SystemResult<DevNodeInfo> rows = nt.queryDeviceTree();
    assertThat(rows.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return rows.rows();
  }

  /** The PnP unload runs on a worker once the last device is gone. */
  private static void awaitUnloaded(RunningKernel kernel, String service) {
    poll(service + " to unload with its last device", () -> !loaded(kernel, service));
  }

  private static boolean loaded(RunningKernel kernel, String service) {
    try (LocalNt nt = kernel.client()) {
      SystemResult<DriverInfo> drivers = nt.queryDrivers();
      return drivers.rows().stream().anyMatch(d -> d.service().equalsIgnoreCase(service));
    }
  }
}
