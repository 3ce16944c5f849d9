package ntio.kernel.io.unloadtests.scripted;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverObject;
import ntio.ddk.FileObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * One load of the scripted driver: its devices, its dispatch routines and its DriverUnload.
 *
 * <p>Besides doing what its script says, every load checks two rules of the unload protocol on
 * itself and records a violation if one breaks: DriverUnload must not run while the driver still
 * counts an open (an IRP_MJ_CREATE without its IRP_MJ_CLOSE), and no IRP_MJ_CREATE may arrive
 * after DriverUnload.
 */
final class ScriptedLoad {

  private static final int IO_NO_INCREMENT = 0;

  private final DriverObject driver;
  private final KernelServices services;
  private final Script script;
  private final AtomicInteger opens = new AtomicInteger();
  private final AtomicInteger fileNumbers = new AtomicInteger();
  private final AtomicBoolean unloadEntered = new AtomicBoolean();
  private volatile int generation;
  private volatile boolean logIrps;
  private volatile DeviceObject main;
  private volatile String link;
  private volatile FileObject heldFile;

  ScriptedLoad(DriverObject driver, Script script) {
    this.driver = driver;
    this.services = driver.services();
    this.script = script;
  }

  /** DriverEntry. */
  NtStatus start() {
    generation = script.increment(ScriptedNames.LOADS);
    logIrps = script.dword(ScriptedNames.LOG_IRPS, 0) != 0;
    if (script.dword(ScriptedNames.ENTRY_GATE, 0) != 0) {
      gate();
    }
    // The table is filled before any device exists: once the main device attaches somewhere,
    // requests (the attach open's own cleanup and close among them) come here.
    for (int function = 0; function <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; function++) {
      driver.setMajorFunction(function, this::dispatch);
    }
    NtStatus devices = createDevices();
    if (!devices.isSuccess()) {
      deleteAll();
      return devices;
    }
    if (script.dword(ScriptedNames.NO_UNLOAD, 0) == 0) {
      driver.setDriverUnload(this::unload);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** Holds DriverEntry — and with it the load lock — until the test says go (B16). */
  private void gate() {
    script.record(RegValue.dword(ScriptedNames.ENTRY_STARTED, 1));
    if (!script.awaitParameter(ScriptedNames.ENTRY_GO)) {
      return;
    }
    String target = script.string(ScriptedNames.ENTRY_UNLOAD_TARGET);
    if (target != null) {
      NtStatus status = services.unloadDriver(UnicodeString.of(target));
      script.record(RegValue.dword(ScriptedNames.ENTRY_UNLOAD_STATUS, status.code()));
    }
  }

  private NtStatus createDevices() {
    String mainName = script.string(ScriptedNames.DEVICE_NAME);
    if (mainName == null) {
      return NtStatus.STATUS_SUCCESS;
    }
    boolean exclusive = script.dword(ScriptedNames.EXCLUSIVE, 0) != 0;
    DeviceResult created = services.createDevice(driver, null, UnicodeString.of(mainName),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, exclusive);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    DeviceObject device = created.device();
    main = device;

    String second = script.string(ScriptedNames.SECOND_DEVICE);
    if (second != null) {
      DeviceResult other = services.createDevice(driver, null, UnicodeString.of(second),
          DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
      if (!other.status().isSuccess()) {
        return other.status();
      }
    }

    String upperName = script.string(ScriptedNames.UPPER_DEVICE);
    if (upperName != null) {
      DeviceResult upper = services.createDevice(driver, null, UnicodeString.of(upperName),
          DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
      if (!upper.status().isSuccess()) {
        return upper.status();
      }
      // B30: nothing attaches to a device still initializing, so ready the lower one first, as
      // the Wine test driver does.
      device.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
      DeviceResult attached = services.attachDeviceToDeviceStack(upper.device(), device);
      if (!attached.status().isSuccess()) {
        return attached.status();
      }
    }

    String linkName = script.string(ScriptedNames.SYMBOLIC_LINK);
    if (linkName != null) {
      NtStatus linked = services.createSymbolicLink(UnicodeString.of(linkName), UnicodeString.of(mainName));
      if (!linked.isSuccess()) {
        return linked;
      }
      link = linkName;
    }

    String target = script.string(ScriptedNames.ATTACH_TO);
    if (target != null) {
      DeviceResult attached = services.attachDevice(device, UnicodeString.of(target));
      if (!attached.status().isSuccess()) {
        return attached.status();
      }
    }

    if (script.dword(ScriptedNames.REGISTER_FILE_SYSTEM, 0) != 0) {
      services.registerFileSystem(device);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  // Dispatch --------------------------------------------------------------------------------------

  private NtStatus dispatch(DeviceObject device, Irp irp) {
    FileObject file = irp.currentStackLocation().fileObject();
    switch (irp.currentStackLocation().majorFunction()) {
      case MajorFunctions.IRP_MJ_CREATE -> {
        if (unloadEntered.get()) {
          script.increment(ScriptedNames.VIOLATION_CREATE_AFTER_UNLOAD);
        }
        if (script.dword(ScriptedNames.UNLOAD_IN_CREATE, 0) != 0) {
          // Asks for its own unload while this open holds the device, then fails the open.
          NtStatus status = services.unloadDriver(UnicodeString.of(script.registryPath()));
          script.record(RegValue.dword(ScriptedNames.CREATE_UNLOAD_STATUS, status.code()));
          return complete(irp, NtStatus.STATUS_ACCESS_DENIED, 0);
        }
        int number = fileNumbers.incrementAndGet();
        if (number == 1) {
          script.record(RegValue.dword(ScriptedNames.DISPATCH_FLAGS, driver.flags()));
        }
        file.setFsContext(new OpenMark(this, number));
        opens.incrementAndGet();
        log("CREATE", file);
        return complete(irp, NtStatus.STATUS_SUCCESS, 0);
      }
      case MajorFunctions.IRP_MJ_CLEANUP -> {
        log("CLEANUP", file);
        return complete(irp, NtStatus.STATUS_SUCCESS, 0);
      }
      case MajorFunctions.IRP_MJ_CLOSE -> {
        log("CLOSE", file);
        if (isOurs(file)) {
          opens.decrementAndGet();
        }
        return complete(irp, NtStatus.STATUS_SUCCESS, 0);
      }
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL -> {
        return deviceControl(file, irp);
      }
      default -> {
        return complete(irp, NtStatus.STATUS_SUCCESS, 0);
      }
    }
  }

  /**
   * Which open a file object is: the number this load gave it at IRP_MJ_CREATE. A close can reach
   * a driver whose create never did — the attach open of IoAttachDevice is created on the device
   * below and closed at the top of the stack (B31, B39) — and such a file is not ours to count.
   */
  private record OpenMark(ScriptedLoad load, int number) {}

  private boolean isOurs(FileObject file) {
    return file.fsContext() instanceof OpenMark mark && mark.load() == this;
  }

  private void log(String what, FileObject file) {
    if (logIrps) {
      String number = isOurs(file) ? Integer.toString(((OpenMark) file.fsContext()).number()) : "foreign";
      script.append(ScriptedNames.IRP_LOG, what + "#" + number);
    }
  }

  private NtStatus deviceControl(FileObject file, Irp irp) {
    byte[] buffer = irp.systemBuffer();
    int code = irp.currentStackLocation().ioControlCode();
    switch (code) {
      case ScriptedNames.IOCTL_DELETE_DEVICE -> services.deleteDevice(file.deviceObject());
      case ScriptedNames.IOCTL_CREATE_DEVICE -> {
        DeviceResult created = services.createDevice(driver, null,
            UnicodeString.of(script.string(ScriptedNames.EXTRA_DEVICE)), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
        if (created.status().isSuccess()) {
          created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
        }
        script.record(RegValue.dword(ScriptedNames.EXTRA_DEVICE_STATUS, created.status().code()));
      }
      case ScriptedNames.IOCTL_QUERY_LOWER -> {
        DeviceObject lower = services.getLowerDeviceObject(main);
        script.record(RegValue.string(ScriptedNames.LOWER_NAME,
            lower == null ? "" : lower.deviceName().orElse("(unnamed)")));
        if (lower != null) {
          services.dereferenceObject(lower);
        }
      }
      case ScriptedNames.IOCTL_UNREGISTER_FILE_SYSTEM -> services.unregisterFileSystem(main);
      case ScriptedNames.IOCTL_DETACH_UPPER -> services.detachDevice(main);
      case ScriptedNames.IOCTL_ARM -> {
        if (buffer.length < Integer.BYTES) {
          return complete(irp, NtStatus.STATUS_BUFFER_TOO_SMALL, 0);
        }
        int action = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        DeviceObject target = main;
        NtStatus queued = services.queueWorkItem(target, () -> armed(target, action));
        return complete(irp, queued, 0);
      }
      case ScriptedNames.IOCTL_HOLD_FILE -> {
        services.referenceObject(file);
        heldFile = file;
      }
      case ScriptedNames.IOCTL_QUERY_GENERATION -> {
        if (irp.currentStackLocation().outputBufferLength() < Integer.BYTES) {
          return complete(irp, NtStatus.STATUS_BUFFER_TOO_SMALL, 0);
        }
        ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).putInt(0, generation);
        return complete(irp, NtStatus.STATUS_SUCCESS, Integer.BYTES);
      }
      default -> {
        return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0);
      }
    }
    return complete(irp, NtStatus.STATUS_SUCCESS, 0);
  }

  /** The work item {@link ScriptedNames#IOCTL_ARM} queued: waits for the test, then acts. */
  private void armed(DeviceObject target, int action) {
    if (!script.awaitParameter(ScriptedNames.ARM_GO)) {
      return;
    }
    switch (action) {
      case ScriptedNames.ARM_DETACH_UPPER -> services.detachDevice(target);
      case ScriptedNames.ARM_UNREGISTER_FILE_SYSTEM -> services.unregisterFileSystem(target);
      case ScriptedNames.ARM_DELETE_THEN_DETACH -> {
        services.deleteDevice(target);
        services.detachDevice(target);
      }
      case ScriptedNames.ARM_RELEASE_FILE -> {
        FileObject held = heldFile;
        heldFile = null;
        services.dereferenceObject(held);
      }
      default -> throw new IllegalArgumentException("no armed action " + action);
    }
    script.record(RegValue.dword(ScriptedNames.ARM_DONE, action));
  }

  private NtStatus complete(Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    services.completeRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  // DriverUnload ----------------------------------------------------------------------------------

  private void unload(DriverObject unloading) {
    unloadEntered.set(true);
    if (logIrps) {
      script.append(ScriptedNames.IRP_LOG, "UNLOAD");
    }
    script.increment(ScriptedNames.UNLOADS);
    script.record(RegValue.string(ScriptedNames.UNLOAD_THREAD, Thread.currentThread().getName()));
    script.record(RegValue.dword(ScriptedNames.UNLOAD_FLAGS, unloading.flags()));
    int open = opens.get();
    script.record(RegValue.dword(ScriptedNames.UNLOAD_OPEN_COUNT, open));
    if (open != 0 && script.dword(ScriptedNames.NO_OPEN_CHECK, 0) == 0) {
      script.increment(ScriptedNames.VIOLATION_UNLOAD_WITH_OPENS);
    }
    List<DeviceObject> devices = devicesOf(unloading);
    script.record(RegValue.dword(ScriptedNames.UNLOAD_DEVICE_COUNT, devices.size()));
    boolean allMarked = true;
    for (DeviceObject device : devices) {
      allMarked &= (device.deviceObjectExtension().extensionFlags() & DeviceFlags.DOE_UNLOAD_PENDING) != 0;
    }
    script.record(RegValue.dword(ScriptedNames.UNLOAD_ALL_MARKED, allMarked ? 1 : 0));
    DeviceObject mainDevice = main;
    if (mainDevice != null && devices.contains(mainDevice)) {
      recordStack(mainDevice);
    }
    if (script.dword(ScriptedNames.UNLOAD_SELF_IN_UNLOAD, 0) != 0) {
      NtStatus status = services.unloadDriver(UnicodeString.of(script.registryPath()));
      script.record(RegValue.dword(ScriptedNames.UNLOAD_IN_UNLOAD_STATUS, status.code()));
    }
    deleteAll();
  }

  /** T14: the main device and the device below it, before any cleanup. */
  private void recordStack(DeviceObject device) {
    DeviceObject lower = device.deviceObjectExtension().attachedTo();
    script.record(RegValue.dword(ScriptedNames.UNLOAD_MAIN_EXTENSION_FLAGS,
        device.deviceObjectExtension().extensionFlags()));
    script.record(RegValue.dword(ScriptedNames.UNLOAD_MAIN_FLAGS, device.flags()));
    script.record(RegValue.dword(ScriptedNames.UNLOAD_MAIN_REFERENCES, device.referenceCount()));
    script.record(RegValue.string(ScriptedNames.UNLOAD_MAIN_ATTACHED_TO, nameOf(lower)));
    if (lower != null) {
      script.record(RegValue.dword(ScriptedNames.UNLOAD_LOWER_EXTENSION_FLAGS,
          lower.deviceObjectExtension().extensionFlags()));
      script.record(RegValue.dword(ScriptedNames.UNLOAD_LOWER_FLAGS, lower.flags()));
      script.record(RegValue.dword(ScriptedNames.UNLOAD_LOWER_REFERENCES, lower.referenceCount()));
      script.record(RegValue.string(ScriptedNames.UNLOAD_LOWER_ATTACHED_DEVICE, nameOf(lower.attachedDevice())));
    }
  }

  private static String nameOf(DeviceObject device) {
    return device == null ? "" : device.deviceName().orElse("(unnamed)");
  }

  private static List<DeviceObject> devicesOf(DriverObject driver) {
    List<DeviceObject> devices = new ArrayList<>();
    for (DeviceObject d = driver.deviceObject(); d != null; d = d.nextDevice()) {
      devices.add(d);
    }
    return devices;
  }

  /** The link first, then every detach, then every delete (as T17's unload does). */
  private void deleteAll() {
    String linkName = link;
    if (linkName != null) {
      services.deleteSymbolicLink(UnicodeString.of(linkName));
    }
    List<DeviceObject> devices = devicesOf(driver);
    for (DeviceObject device : devices) {
      DeviceObject below = device.deviceObjectExtension().attachedTo();
      if (below != null) {
        services.detachDevice(below);
      }
    }
    for (DeviceObject device : devices) {
      services.deleteDevice(device);
    }
  }
}
