package ntio.kernel.verifier.faults;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * A driver for the verifier's pool and fault-injection tests: its DriverEntry does what {@code
 * <RegistryPath>\Parameters\Mode} (REG_SZ) says and writes what it saw under {@code
 * <RegistryPath>\Observed}. It always sets a DriverUnload and frees what it allocated.
 *
 * <ul>
 *   <li>{@code sites}: allocates from call site S1 three times (one line, in a loop), then from
 *       call site S2 once; records {@code S1} and {@code S2} as {@code OK}/{@code FAIL} lists;
 *   <li>{@code burst}: for each entry of {@code Targets} (REG_MULTI_SZ) — a pool tag, or {@code
 *       @irp} for IoAllocateIrp, or {@code @device} for IoCreateDevice — makes {@code Count}
 *       (REG_DWORD) calls and records {@code <target>.Failed} and {@code <target>.Succeeded};
 *   <li>{@code zeroTag}, {@code noLetterTag}, {@code zeroSize}: one allocation so made, recording
 *       its status as {@code Status} if it returns;
 *   <li>{@code wrongTag}, {@code doubleFree}, {@code foreignFree}: frees so made.
 * </ul>
 */
public final class FaultLabDriver implements DriverEntry {

  /** The tag of the {@code sites} and misuse modes. */
  public static final int TAG = PoolTag.of("FltL");

  /** Called by the loader, once per load. */
  public FaultLabDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    String key = registryPath.text();
    driver.setDriverUnload(unloading -> { });
    String mode = string(services, key + "\\Parameters", "Mode");
    switch (mode) {
      case "sites" -> sites(services, key);
      case "burst" -> burst(driver, services, key);
      case "zeroTag" -> put(services, key, "Status",
          services.allocatePoolWithTag(PoolType.NON_PAGED, 16, 0).status().code());
      case "noLetterTag" -> put(services, key, "Status",
          services.allocatePoolWithTag(PoolType.NON_PAGED, 16, PoolTag.of("!# ")).status().code());
      case "zeroSize" -> put(services, key, "Status",
          services.allocatePoolWithTag(PoolType.NON_PAGED, 0, TAG).status().code());
      case "wrongTag" -> {
        PoolBlock block = services.allocatePoolWithTag(PoolType.NON_PAGED, 16, TAG).block();
        services.freePoolWithTag(block, PoolTag.of("Othr"));
      }
      case "doubleFree" -> {
        PoolBlock block = services.allocatePoolWithTag(PoolType.NON_PAGED, 16, TAG).block();
        services.freePoolWithTag(block, TAG);
        services.freePoolWithTag(block, TAG);
      }
      case "foreignFree" -> services.freePoolWithTag(new ForeignBlock(), TAG);
      default -> {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private static void sites(KernelServices services, String key) {
    List<String> s1 = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      PoolResult result = services.allocatePoolWithTag(PoolType.NON_PAGED, 32, TAG); // S1
      s1.add(outcome(services, result));
    }
    PoolResult s2 = services.allocatePoolWithTag(PoolType.NON_PAGED, 32, TAG); // S2
    put(services, key, "S1", String.join(",", s1));
    put(services, key, "S2", outcome(services, s2));
  }

  private static String outcome(KernelServices services, PoolResult result) {
    if (!result.status().isSuccess()) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES.equals(result.status()) ? "FAIL" : result.status().toString();
    }
    services.freePoolWithTag(result.block(), TAG);
    return "OK";
  }

  private static void burst(DriverObject driver, KernelServices services, String key) {
    int count = dword(services, key + "\\Parameters", "Count");
    for (String target : multiString(services, key + "\\Parameters", "Targets")) {
      int failed = 0;
      int succeeded = 0;
      for (int i = 0; i < count; i++) {
        boolean ok = switch (target) {
          case "@irp" -> {
            Irp irp = services.allocateIrp(1, null);
            if (irp != null) {
              services.freeIrp(irp);
            }
            yield irp != null;
          }
          case "@device" -> {
            DeviceResult created = services.createDevice(driver, null, null,
                DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
            if (created.status().isSuccess()) {
              services.deleteDevice(created.device());
            } else if (!NtStatus.STATUS_INSUFFICIENT_RESOURCES.equals(created.status())) {
              throw new IllegalStateException("IoCreateDevice: " + created.status());
            }
            yield created.status().isSuccess();
          }
          default -> {
            int tag = PoolTag.of(target);
            PoolResult result = services.allocatePoolWithTag(PoolType.PAGED, 8, tag);
            if (result.status().isSuccess()) {
              services.freePoolWithTag(result.block(), tag);
            } else if (!NtStatus.STATUS_INSUFFICIENT_RESOURCES.equals(result.status())) {
              throw new IllegalStateException("ExAllocatePoolWithTag: " + result.status());
            }
            yield result.status().isSuccess();
          }
        };
        if (ok) {
          succeeded++;
        } else {
          failed++;
        }
      }
      put(services, key, target + ".Failed", failed);
      put(services, key, target + ".Succeeded", succeeded);
    }
  }

  // Registry ---------------------------------------------------------------------------------------

  private static ValueResult query(KernelServices services, String keyName, String name) {
    HandleResult opened = services.openKey(UnicodeString.of(keyName), AccessMask.KEY_READ);
    if (!opened.status().isSuccess()) {
      return new ValueResult(opened.status(), null);
    }
    try {
      return services.queryValueKey(opened.handle(), UnicodeString.of(name));
    } finally {
      services.close(opened.handle());
    }
  }

  private static String string(KernelServices services, String keyName, String name) {
    ValueResult value = query(services, keyName, name);
    return value.status().isSuccess() ? value.value().stringValue().orElse("") : "";
  }

  private static int dword(KernelServices services, String keyName, String name) {
    ValueResult value = query(services, keyName, name);
    return value.status().isSuccess() ? value.value().dwordValue().orElse(0) : 0;
  }

  private static List<String> multiString(KernelServices services, String keyName, String name) {
    ValueResult value = query(services, keyName, name);
    return value.status().isSuccess() ? value.value().multiStringValue().orElse(List.of()) : List.of();
  }

  private static void put(KernelServices services, String key, String name, int value) {
    write(services, key, RegValue.dword(name, value));
  }

  private static void put(KernelServices services, String key, String name, String value) {
    write(services, key, RegValue.string(name, value));
  }

  private static void write(KernelServices services, String key, RegValue value) {
    HandleResult observed = services.createKey(UnicodeString.of(key + "\\Observed"), AccessMask.KEY_WRITE, 0);
    if (!observed.status().isSuccess()) {
      return;
    }
    try {
      services.setValueKey(observed.handle(), value);
    } finally {
      services.close(observed.handle());
    }
  }

  /** A block that no allocation returned: the driver's own forgery. */
  private static final class ForeignBlock implements PoolBlock {
    @Override
    public long address() {
      return 0xFFFFB000_00001000L;
    }

    @Override
    public long size() {
      return 16;
    }

    @Override
    public int tag() {
      return TAG;
    }

    @Override
    public PoolType type() {
      return PoolType.NON_PAGED;
    }

    @Override
    public boolean isFreed() {
      return false;
    }

    @Override
    public byte getByte(long offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void putByte(long offset, byte value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int getInt(long offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void putInt(long offset, int value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long getLong(long offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void putLong(long offset, long value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void read(long offset, byte[] destination) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void write(long offset, byte[] source) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void fill(byte value) {
      throw new UnsupportedOperationException();
    }
  }
}
