package ntio.kernel.io.lingertests;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A test driver that leaves things behind that could outlive its code, as its service key's
 * {@code Parameters\Leave} (REG_MULTI_SZ) lists them: {@code timer} (set an hour out), {@code
 * soon-timer} (a one-shot timer due in {@value #SOON_MILLIS} ms), {@code thread} and {@code
 * workitem} (a System thread and an {@code ExQueueWorkItem} routine that wait on the device's
 * latch), {@code dpc} (a DPC that holds processor 0 until the device's latch is counted down, and
 * a second DPC queued behind it there, which stays queued meanwhile), {@code trace} (a trace
 * provider never unregistered), {@code devices} (DriverUnload deletes nothing). {@code FailEntry} (DWORD, non-zero) makes DriverEntry fail after leaving them,
 * without creating its device.
 *
 * <p>Its device {@code \Device\Linger} has a {@link CountDownLatch} as its extension: a test counts
 * it down to let the thread and work item end.
 */
public final class LingerDriver implements DriverEntry {

  /** When {@code soon-timer} expires. */
  public static final long SOON_MILLIS = 1_000;

  public LingerDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices kernel = driver.services();
    List<String> leave = parameters(kernel, registryPath, "Leave");
    boolean fail = !parameters(kernel, registryPath, "FailEntry").isEmpty();
    CountDownLatch release = new CountDownLatch(1);
    if (!fail) {
      KernelServices.DeviceResult device = kernel.createDevice(driver, release,
          UnicodeString.of("\\Device\\Linger"), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
      if (!device.status().isSuccess()) {
        return device.status();
      }
    }
    boolean deleteDevices = !leave.contains("devices");
    driver.setDriverUnload(unloading -> {
      if (deleteDevices) {
        while (unloading.deviceObject() != null) {
          unloading.services().deleteDevice(unloading.deviceObject());
        }
      }
    });
    if (leave.contains("timer")) {
      kernel.initializeTimer(() -> { }).set(3_600_000_000_000L, 0);
    }
    if (leave.contains("soon-timer")) {
      kernel.initializeTimer(() -> { }).set(SOON_MILLIS * 1_000_000L, 0);
    }
    if (leave.contains("thread")) {
      kernel.createSystemThread(() -> awaitQuietly(release));
    }
    if (leave.contains("workitem")) {
      kernel.queueExWorkItem(() -> awaitQuietly(release));
    }
    if (leave.contains("dpc")) {
      KernelDpc holder = kernel.initializeDpc((dpc, unused1, unused2) -> awaitQuietly(release));
      KernelDpc behind = kernel.initializeDpc((dpc, unused1, unused2) -> { });
      holder.setTargetProcessor(0);
      behind.setTargetProcessor(0);
      holder.insertQueue(null, null);
      behind.insertQueue(null, null);
    }
    if (leave.contains("trace")) {
      kernel.registerTraceProvider(UUID.nameUUIDFromBytes("Linger".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .provider().write("registered, never unregistered");
    }
    return fail ? NtStatus.STATUS_UNSUCCESSFUL : NtStatus.STATUS_SUCCESS;
  }

  private static void awaitQuietly(CountDownLatch release) {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A value of the service's Parameters key: a REG_MULTI_SZ's strings, or a non-zero DWORD as one entry. */
  private static List<String> parameters(KernelServices kernel, UnicodeString registryPath, String name) {
    HandleResult key = kernel.openKey(UnicodeString.of(registryPath.text() + "\\Parameters"), AccessMask.KEY_READ);
    if (!key.status().isSuccess()) {
      return List.of();
    }
    try {
      ValueResult value = kernel.queryValueKey(key.handle(), UnicodeString.of(name));
      if (!value.status().isSuccess()) {
        return List.of();
      }
      if (value.value().dwordValue().isPresent()) {
        return value.value().dwordValue().getAsInt() != 0 ? List.of(name) : List.of();
      }
      return value.value().multiStringValue().orElse(List.of());
    } finally {
      kernel.close(key.handle());
    }
  }
}
