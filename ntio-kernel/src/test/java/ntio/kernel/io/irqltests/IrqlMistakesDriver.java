package ntio.kernel.io.irqltests;

import java.time.Duration;
import java.util.UUID;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.Irql;
import ntio.ddk.KernelEvent;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.devicetests.lab.Observations;

/**
 * A driver that makes the classic IRQL mistakes for the IRQL rules' tests: its DriverEntry does
 * what its service's name says after {@code Irql-} (service {@code Irql-waitAtDispatch}: mode
 * {@code waitAtDispatch}), at the IRQL the mode names, lowers back to PASSIVE_LEVEL if it got
 * through, and records what it saw under {@code <RegistryPath>\Observed} ({@code Status}, {@code
 * Value}) with the lab's {@link Observations}, which the image carries.
 *
 * <ul>
 *   <li>{@code waitAtDispatch}, {@code waitSignalledAtDispatch}, {@code waitForeverAtDispatch}:
 *       a 10 ms (or infinite) wait at DISPATCH_LEVEL on an event not signalled / signalled;
 *   <li>{@code pollAtDispatch}, {@code pollAtDevice}: a zero-timeout wait there;
 *   <li>{@code waitAtPassive}: a 10 ms wait on an unsignalled event, then one on a signalled one;
 *   <li>{@code waitOnAForeignObject}: a wait on a dispatcher object the kernel did not make;
 *   <li>{@code setEventAtDevice}: KeSetEvent at DEVICE_LEVEL;
 *   <li>{@code pagedAllocAtDispatch}, {@code nonPagedAllocAtDevice}, {@code pagedFreeAtDispatch},
 *       {@code nonPagedFreeAtDevice}, {@code nonPagedAtDispatch} (legal): pool calls;
 *   <li>{@code writePagedAtDispatch}, {@code readPagedAtDispatch}, {@code writeNonPagedAtDispatch}:
 *       touches of a block allocated at PASSIVE_LEVEL;
 *   <li>{@code pagedCodeAtDispatch}, {@code pagedCodeAtApc}: PAGED_CODE() there;
 *   <li>{@code atDispatch-<routine>}, {@code atApc-<routine>}: one PASSIVE_LEVEL-only routine
 *       ({@code ZwOpenKey}, {@code ZwClose}, {@code IoCreateDevice}…) called there.
 * </ul>
 */
public final class IrqlMistakesDriver implements DriverEntry {

  /** What the services of this driver are named before their mode. */
  public static final String SERVICE_PREFIX = "Irql-";

  /** The tag of every allocation. */
  public static final int TAG = PoolTag.of("Irql");

  /** Called by the loader, once per load. */
  public IrqlMistakesDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    String key = registryPath.text();
    driver.setDriverUnload(unloading -> { });
    String mode = key.substring(key.lastIndexOf('\\') + 1).substring(SERVICE_PREFIX.length());
    Object result;
    if (mode.startsWith("atDispatch-")) {
      result = passiveOnly(services, driver, key, mode.substring("atDispatch-".length()), Irql.DISPATCH_LEVEL);
    } else if (mode.startsWith("atApc-")) {
      result = passiveOnly(services, driver, key, mode.substring("atApc-".length()), Irql.APC_LEVEL);
    } else {
      result = switch (mode) {
        case "waitAtDispatch" -> waitAt(services, Irql.DISPATCH_LEVEL, false, Duration.ofMillis(10));
        case "waitForeverAtDispatch" -> waitAt(services, Irql.DISPATCH_LEVEL, false, null);
        case "waitSignalledAtDispatch" -> waitAt(services, Irql.DISPATCH_LEVEL, true, Duration.ofMillis(10));
        case "pollAtDispatch" -> waitAt(services, Irql.DISPATCH_LEVEL, false, Duration.ZERO);
        case "pollAtDevice" -> waitAt(services, Irql.DEVICE_LEVEL, true, Duration.ZERO);
        case "waitAtPassive" -> waitAt(services, Irql.PASSIVE_LEVEL, false, Duration.ofMillis(10)) + ","
            + waitAt(services, Irql.PASSIVE_LEVEL, true, Duration.ofSeconds(5));
        case "waitOnAForeignObject" -> services.waitForSingleObject(new ntio.ddk.DispatcherObject() { },
            Duration.ZERO);
        case "setEventAtDevice" -> setEventAt(services, Irql.DEVICE_LEVEL);
        case "pagedAllocAtDispatch" -> allocateAt(services, PoolType.PAGED, Irql.DISPATCH_LEVEL);
        case "nonPagedAllocAtDevice" -> allocateAt(services, PoolType.NON_PAGED, Irql.DEVICE_LEVEL);
        case "nonPagedAtDispatch" -> allocateAndFreeAt(services, PoolType.NON_PAGED, Irql.DISPATCH_LEVEL);
        case "pagedFreeAtDispatch" -> freeAt(services, PoolType.PAGED, Irql.DISPATCH_LEVEL);
        case "nonPagedFreeAtDevice" -> freeAt(services, PoolType.NON_PAGED, Irql.DEVICE_LEVEL);
        case "writePagedAtDispatch" -> touchAt(services, PoolType.PAGED, true);
        case "readPagedAtDispatch" -> touchAt(services, PoolType.PAGED, false);
        case "writeNonPagedAtDispatch" -> touchAt(services, PoolType.NON_PAGED, true);
        case "pagedCodeAtDispatch" -> pagedCodeAt(services, Irql.DISPATCH_LEVEL);
        case "pagedCodeAtApc" -> pagedCodeAt(services, Irql.APC_LEVEL);
        default -> null;
      };
    }
    if (result == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    Observations observed = new Observations(services, key + "\\Observed");
    if (result instanceof NtStatus status) {
      observed.put("Status", status.code());
    } else {
      observed.put("Value", result.toString());
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private static NtStatus waitAt(KernelServices services, Irql irql, boolean signalled, Duration timeout) {
    KernelEvent event = services.initializeEvent(true, signalled);
    Irql old = services.raiseIrql(irql);
    NtStatus status = services.waitForSingleObject(event, timeout); // the wait
    services.lowerIrql(old);
    return status;
  }

  private static String setEventAt(KernelServices services, Irql irql) {
    KernelEvent event = services.initializeEvent(false, false);
    Irql old = services.raiseIrql(irql);
    event.set(); // the set
    services.lowerIrql(old);
    return "signalled=" + event.isSignalled();
  }

  private static NtStatus allocateAt(KernelServices services, PoolType type, Irql irql) {
    Irql old = services.raiseIrql(irql);
    KernelServices.PoolResult result = services.allocatePoolWithTag(type, 64, TAG); // the allocation
    services.lowerIrql(old);
    if (result.status().isSuccess()) {
      services.freePoolWithTag(result.block(), TAG);
    }
    return result.status();
  }

  private static NtStatus allocateAndFreeAt(KernelServices services, PoolType type, Irql irql) {
    Irql old = services.raiseIrql(irql);
    KernelServices.PoolResult result = services.allocatePoolWithTag(type, 64, TAG);
    if (result.status().isSuccess()) {
      services.freePoolWithTag(result.block(), TAG);
    }
    services.lowerIrql(old);
    return result.status();
  }

  private static String freeAt(KernelServices services, PoolType type, Irql irql) {
    PoolBlock block = services.allocatePoolWithTag(type, 64, TAG).block();
    Irql old = services.raiseIrql(irql);
    services.freePoolWithTag(block, TAG); // the free
    services.lowerIrql(old);
    return "freed";
  }

  private static String touchAt(KernelServices services, PoolType type, boolean write) {
    PoolBlock block = services.allocatePoolWithTag(type, 64, TAG).block();
    block.putInt(0, 7);
    Irql old = services.raiseIrqlToDpcLevel();
    int value;
    if (write) {
      block.putInt(0, 42); // the write
      value = 42;
    } else {
      value = block.getInt(0); // the read
    }
    services.lowerIrql(old);
    services.freePoolWithTag(block, TAG);
    return "value=" + value;
  }

  private static String pagedCodeAt(KernelServices services, Irql irql) {
    Irql old = services.raiseIrql(irql);
    services.pagedCode(); // the paged code
    services.lowerIrql(old);
    return "ran";
  }

  private static Object passiveOnly(KernelServices services, DriverObject driver, String key,
      String routine, Irql irql) {
    HandleResult serviceKey = services.openKey(UnicodeString.of(key), AccessMask.KEY_READ);
    UnicodeString name = UnicodeString.of("ImagePath");
    Irql old = services.raiseIrql(irql);
    Object result = switch (routine) { // the call
      case "ZwOpenKey" -> services.openKey(UnicodeString.of(key), AccessMask.KEY_READ).status();
      case "ZwCreateKey" -> services.createKey(UnicodeString.of(key + "\\Observed"), AccessMask.KEY_WRITE, 0).status();
      case "ZwQueryValueKey" -> services.queryValueKey(serviceKey.handle(), name).status();
      case "ZwSetValueKey" -> services.setValueKey(serviceKey.handle(), RegValue.dword("X", 1));
      case "ZwClose" -> services.close(serviceKey.handle());
      case "IoCreateDevice" -> services.createDevice(driver, null, null, DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false).status();
      case "IoCreateSymbolicLink" -> services.createSymbolicLink(UnicodeString.of("\\DosDevices\\IrqlLink"),
          UnicodeString.of("\\Device\\Null"));
      case "IoDeleteSymbolicLink" -> services.deleteSymbolicLink(UnicodeString.of("\\DosDevices\\IrqlLink"));
      case "ObReferenceObjectByName" -> services.referenceObjectByName(UnicodeString.of("\\Driver"),
          ObjectKind.DIRECTORY).status();
      case "IoGetDeviceObjectPointer" -> services.getDeviceObjectPointer(UnicodeString.of("\\Device\\Null"),
          AccessMask.FILE_READ_ATTRIBUTES).status();
      case "ZwLoadDriver" -> services.loadDriver(UnicodeString.of(key));
      case "ZwUnloadDriver" -> services.unloadDriver(UnicodeString.of(key));
      case "PsCreateSystemThread" -> services.createSystemThread(() -> { }).status();
      case "EtwRegister" -> services.registerTraceProvider(UUID.randomUUID()).status();
      default -> null;
    };
    services.lowerIrql(old);
    if (!Handle.NULL.equals(serviceKey.handle())) {
      services.close(serviceKey.handle());
    }
    return result;
  }
}
