package ntio.kernel.verifier.probe;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver that registers a JVM shutdown hook of its own class in DriverEntry and never removes
 * it: the JVM's hook list keeps the image's class loader reachable. The hook does nothing if it
 * ever runs.
 */
public final class HookLeavingDriver implements DriverEntry, DriverUnload {

  /** The hook's thread name, which the verifier's finding must show. */
  public static final String HOOK_NAME = "probe-hook";

  /** The entry point's constructor. */
  public HookLeavingDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    Runtime.getRuntime().addShutdownHook(new Hook());
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    // The bug under test: the hook stays registered.
  }

  /** The hook: a Thread subclass of the image, never started by the driver. */
  static final class Hook extends Thread {
    Hook() {
      super(HOOK_NAME);
    }

    @Override
    public void run() {
      // Nothing to do at JVM exit.
    }
  }
}
