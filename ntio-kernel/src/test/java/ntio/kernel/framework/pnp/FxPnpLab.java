package ntio.kernel.framework.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.kernel.LocalNt;
import ntio.kernel.executive.TraceLog;
import ntio.kernel.framework.FxLab;
import ntio.kernel.framework.pnp.probe.PnpProbeDriver;

/**
 * {@link FxLab} with the PnP manager in reach: framework PnP driver images (the {@link
 * PnpProbeDriver} as any service, the samples), root devices installed and removed through the
 * client API as {@code devcon} does, the device tree, and each image's trace lines.
 */
final class FxPnpLab implements AutoCloseable {

  final FxLab lab;
  /** An administrator client with SeLoadDriverPrivilege, as {@code devcon} runs. */
  final LocalNt devcon;

  FxPnpLab(Path state) {
    this.lab = new FxLab(state);
    this.devcon = new LocalNt(lab.kernel, lab.admin);
  }

  @Override
  public void close() {
    lab.close();
  }

  /** Installs {@link PnpProbeDriver} as {@code service}, the framework verifier on, with these flags set. */
  void installProbe(String service, String... flags) {
    lab.installPnpImage(service, PnpProbeDriver.class);
    lab.kmdfVerifier(service);
    for (String flag : flags) {
      setFlag(service, flag);
    }
  }

  void setFlag(String service, String flag) {
    lab.setValue(FxLab.SERVICES + service + "\\Parameters", RegValue.dword(flag, 1));
  }

  /** Installs a root device with no filters; its instance path. */
  String installDevice(String hardwareId, String service) {
    return installDevice(new DeviceInstall(hardwareId, service, "", List.of(), List.of()));
  }

  String installDevice(DeviceInstall install) {
    DeviceInstallResult result = devcon.installDevice(install);
    assertThat(result.status()).as("installDevice %s", install).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.instancePath();
  }

  /** The devnode at {@code instancePath}. */
  DevNodeInfo node(String instancePath) {
    return devcon.queryDeviceTree().rows().stream()
        .filter(n -> n.instancePath().equalsIgnoreCase(instancePath)).findFirst()
        .orElseThrow(() -> new AssertionError("no devnode " + instancePath));
  }

  /** Opens {@code \??\<link>} for reading and writing. */
  OpenResult open(String link) {
    return lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of("\\??\\" + link), 0, 0);
  }

  /** The trace lines of the image {@code <service>.jar}, in order. */
  List<String> traces(String service) {
    return lab.kernel.io().traceEvents().stream().filter(e -> e.driver().equals(service + ".jar"))
        .map(TraceLog.Event::message).toList();
  }

  /** Waits up to ten seconds for {@code condition} (a driver's unload runs on a worker). */
  static void eventually(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for %s", what).isBefore(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
