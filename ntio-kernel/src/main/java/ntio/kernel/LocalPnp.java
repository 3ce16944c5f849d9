package ntio.kernel;

import java.util.function.Supplier;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.PnpVetoResult;
import ntio.api.Privilege;
import ntio.api.SystemResult;
import ntio.ddk.NtStatus;
import ntio.kernel.process.KThread;

/**
 * {@link LocalNt}'s Plug and Play calls ({@code NtPlugPlayControl}, what {@code devcon} uses): the
 * checks a client's call goes through — the kernel is running; changing the device tree needs
 * SeLoadDriverPrivilege enabled, as loading its drivers does — then the kernel's {@link
 * ntio.kernel.pnp.PnpManager}. Reading the tree needs no privilege.
 */
final class LocalPnp {

  private final Kernel kernel;
  private final KThread thread;

  LocalPnp(Kernel kernel, KThread thread) {
    this.kernel = kernel;
    this.thread = thread;
  }

  SystemResult<DevNodeInfo> queryDeviceTree() {
    if (!kernel.isRunning()) {
      return SystemResult.failed(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
    return new SystemResult<>(NtStatus.STATUS_SUCCESS, kernel.pnp().deviceTree());
  }

  DeviceInstallResult installDevice(DeviceInstall install) {
    NtStatus allowed = admit();
    return allowed.isSuccess() ? kernel.pnp().installDevice(install) : DeviceInstallResult.failed(allowed);
  }

  PnpVetoResult removeDevice(String instancePath) {
    return vetoable(() -> kernel.pnp().removeDevice(instancePath));
  }

  PnpVetoResult disableDevice(String instancePath) {
    return vetoable(() -> kernel.pnp().disableDevice(instancePath));
  }

  NtStatus enableDevice(String instancePath) {
    NtStatus allowed = admit();
    return allowed.isSuccess() ? kernel.pnp().enableDevice(instancePath) : allowed;
  }

  PnpVetoResult restartDevice(String instancePath) {
    return vetoable(() -> kernel.pnp().restartDevice(instancePath));
  }

  SystemResult<String> updateDriver(DeviceInstall driver) {
    NtStatus allowed = admit();
    return allowed.isSuccess() ? kernel.pnp().updateDriver(driver) : SystemResult.failed(allowed);
  }

  private PnpVetoResult vetoable(Supplier<PnpVetoResult> action) {
    NtStatus allowed = admit();
    return allowed.isSuccess() ? action.get() : PnpVetoResult.of(allowed);
  }

  /** Running, and SeLoadDriverPrivilege held and enabled for a user-mode caller. */
  private NtStatus admit() {
    if (!kernel.isRunning()) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (thread.isUserMode() && !thread.token().isPrivilegeEnabled(Privilege.SE_LOAD_DRIVER_PRIVILEGE)) {
      return NtStatus.STATUS_PRIVILEGE_NOT_HELD;
    }
    return NtStatus.STATUS_SUCCESS;
  }
}
