package ntio.kernel.io.loadtests.scripted;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ObjectResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The load tests' probe: a driver whose DriverEntry does what the values under
 * {@code <RegistryPath>\Parameters} ask and writes what it saw under
 * {@code <RegistryPath>\Observed}, the way a real driver talks to its installer. It names only
 * {@code java.*} and {@code ntio.ddk.*}, as every image must.
 *
 * <p>Parameters (all optional), in the order DriverEntry acts on them: {@link #UNLOAD_SELF},
 * {@link #LOAD_SELF}, {@link #LOAD_OTHER}, {@link #UNLOAD_OTHER}, {@link #DEVICE} and
 * {@link #LINK}, {@link #OWN_DISPATCH}, {@link #THROW_IN_READ}, {@link #SET_UNLOAD},
 * {@link #THROW_IN_ENTRY}, and last {@link #STATUS}, the status it returns.
 */
public final class ScriptedDriver implements DriverEntry {

  /** The subkey of the service key DriverEntry reads. */
  public static final String PARAMETERS = "Parameters";
  /** The subkey of the service key the driver writes what it saw into. */
  public static final String OBSERVED = "Observed";

  /** DWORD: the status DriverEntry returns (default STATUS_SUCCESS). */
  public static final String STATUS = "Status";
  /** REG_SZ: the name of a device to create in DriverEntry. */
  public static final String DEVICE = "Device";
  /** REG_SZ: a symbolic link to create to {@link #DEVICE}. */
  public static final String LINK = "Link";
  /** DWORD 1: when {@link #STATUS} is a failure, leave the device (and link) behind. */
  public static final String LEAK_DEVICE = "LeakDevice";
  /** DWORD 1: set DriverUnload (it deletes the link and the devices). */
  public static final String SET_UNLOAD = "SetUnload";
  /** DWORD 1: null every dispatch entry, then set only create, cleanup, close and control. */
  public static final String OWN_DISPATCH = "OwnDispatch";
  /** DWORD 1: IRP_MJ_READ throws. */
  public static final String THROW_IN_READ = "ThrowInRead";
  /** DWORD 1: DriverEntry throws once it has recorded what it saw. */
  public static final String THROW_IN_ENTRY = "ThrowInEntry";
  /** DWORD 1: ZwLoadDriver of its own RegistryPath. */
  public static final String LOAD_SELF = "LoadSelf";
  /** DWORD 1: ZwUnloadDriver of its own RegistryPath, before DriverUnload is set. */
  public static final String UNLOAD_SELF = "UnloadSelf";
  /** REG_SZ: a service key to ZwLoadDriver. */
  public static final String LOAD_OTHER = "LoadOther";
  /** REG_SZ: a service key to ZwUnloadDriver. */
  public static final String UNLOAD_OTHER = "UnloadOther";

  /** DWORD: how many times DriverEntry ran for this service key. */
  public static final String ENTRY_COUNT = "EntryCount";
  /** DWORD: how many times DriverUnload ran. */
  public static final String UNLOAD_COUNT = "UnloadCount";
  /** DWORD: how many reads the driver's own read routine saw. */
  public static final String READ_COUNT = "ReadCount";
  /** REG_SZ: the name of the Java thread DriverEntry ran on. */
  public static final String THREAD = "Thread";
  /** REG_SZ, DWORD, DWORD: the RegistryPath argument and its two lengths. */
  public static final String REGISTRY_PATH = "RegistryPath";
  public static final String REGISTRY_PATH_LENGTH = "RegistryPathLength";
  public static final String REGISTRY_PATH_MAXIMUM_LENGTH = "RegistryPathMaximumLength";
  /** DWORD: the driver object's Type, Flags and DriverInit == this entry point (1/0). */
  public static final String IO_TYPE = "IoType";
  public static final String FLAGS = "Flags";
  public static final String DRIVER_INIT_IS_ENTRY = "DriverInitIsEntry";
  /** DWORD 1/0: DeviceObject, AddDevice null; DriverExtension->DriverObject is the driver. */
  public static final String DEVICE_OBJECT_IS_NULL = "DeviceObjectIsNull";
  public static final String ADD_DEVICE_IS_NULL = "AddDeviceIsNull";
  public static final String EXTENSION_DRIVER_IS_SELF = "ExtensionDriverIsSelf";
  /** DWORD: DriverExtension->Count. */
  public static final String EXTENSION_COUNT = "ExtensionCount";
  /** REG_SZ, DWORD, DWORD, DWORD: ServiceKeyName, its lengths, and whether a NUL follows it. */
  public static final String SERVICE_KEY_NAME = "ServiceKeyName";
  public static final String SERVICE_KEY_NAME_LENGTH = "ServiceKeyNameLength";
  public static final String SERVICE_KEY_NAME_MAXIMUM_LENGTH = "ServiceKeyNameMaximumLength";
  public static final String SERVICE_KEY_NAME_NUL_TERMINATED = "ServiceKeyNameNulTerminated";
  /** REG_SZ: DriverName and HardwareDatabase. */
  public static final String DRIVER_NAME = "DriverName";
  public static final String HARDWARE_DATABASE = "HardwareDatabase";
  /** DWORD 1/0: every MajorFunction entry is one and the same non-null routine. */
  public static final String DEFAULT_HANDLERS_ALIKE = "DefaultHandlersAlike";
  /** DWORD: the status of ObReferenceObjectByName on its own DriverName (T31). */
  public static final String BY_NAME_STATUS = "ByNameStatus";
  /** DWORD 1/0: the object ObReferenceObjectByName returned is the DriverEntry argument. */
  public static final String BY_NAME_IS_SELF = "ByNameIsSelf";
  /** DWORD 1/0: the entry class's loader is not the system class loader. */
  public static final String OWN_LOADER = "OwnLoader";
  /** REG_SZ: the name of the entry class's loader. */
  public static final String LOADER_NAME = "LoaderName";
  /** DWORD 1/0: {@code Class.forName("ntio.kernel.Kernel")} threw ClassNotFoundException. */
  public static final String KERNEL_CLASS_HIDDEN = "KernelClassHidden";
  /** DWORD 1/0: the class path's copy of this class, if visible at all, is another class. */
  public static final String CLASS_PATH_COPY_DISTINCT = "ClassPathCopyDistinct";
  /** DWORD: the statuses of the loads and unloads DriverEntry made. */
  public static final String UNLOAD_SELF_STATUS = "UnloadSelfStatus";
  public static final String LOAD_SELF_STATUS = "LoadSelfStatus";
  public static final String LOAD_OTHER_STATUS = "LoadOtherStatus";
  public static final String UNLOAD_OTHER_STATUS = "UnloadOtherStatus";
  /** DWORD: the status of IoCreateDevice, and the device's Flags inside DriverEntry. */
  public static final String DEVICE_STATUS = "DeviceStatus";
  public static final String DEVICE_FLAGS_IN_ENTRY = "DeviceFlagsInEntry";
  /** DWORD: the status of IoCreateSymbolicLink. */
  public static final String LINK_STATUS = "LinkStatus";

  /** Called by the loader, once per load of the image. */
  public ScriptedDriver() {}

  /** Does what the Parameters key asks, recording what it sees. Models a scripted DriverEntry. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    String keyPath = registryPath.text();
    HandleResult observed = services.createKey(
        UnicodeString.of(keyPath + "\\" + OBSERVED), AccessMask.KEY_ALL_ACCESS, 0);
    if (!observed.status().isSuccess()) {
      return observed.status();
    }
    Handle out = observed.handle();
    try {
      recordState(services, out, driver, registryPath);
      return act(services, out, driver, keyPath);
    } finally {
      services.close(out);
    }
  }

  private void recordState(KernelServices services, Handle out, DriverObject driver,
      UnicodeString registryPath) {
    int entries = dword(services, out, ENTRY_COUNT).orElse(0) + 1;
    services.setValueKey(out, RegValue.dword(ENTRY_COUNT, entries));
    services.setValueKey(out, RegValue.string(THREAD, Thread.currentThread().getName()));
    services.setValueKey(out, RegValue.string(REGISTRY_PATH, registryPath.text()));
    services.setValueKey(out, RegValue.dword(REGISTRY_PATH_LENGTH, registryPath.length()));
    services.setValueKey(out,
        RegValue.dword(REGISTRY_PATH_MAXIMUM_LENGTH, registryPath.maximumLength()));
    services.setValueKey(out, RegValue.dword(IO_TYPE, driver.ioType()));
    services.setValueKey(out, RegValue.dword(FLAGS, driver.flags()));
    services.setValueKey(out, flag(DRIVER_INIT_IS_ENTRY, driver.driverInit() == this));
    services.setValueKey(out, flag(DEVICE_OBJECT_IS_NULL, driver.deviceObject() == null));
    services.setValueKey(out,
        flag(ADD_DEVICE_IS_NULL, driver.driverExtension().addDevice() == null));
    services.setValueKey(out,
        flag(EXTENSION_DRIVER_IS_SELF, driver.driverExtension().driverObject() == driver));
    services.setValueKey(out, RegValue.dword(EXTENSION_COUNT, driver.driverExtension().count()));

    UnicodeString serviceKeyName = driver.driverExtension().serviceKeyName();
    services.setValueKey(out, RegValue.string(SERVICE_KEY_NAME, serviceKeyName.text()));
    services.setValueKey(out, RegValue.dword(SERVICE_KEY_NAME_LENGTH, serviceKeyName.length()));
    services.setValueKey(out,
        RegValue.dword(SERVICE_KEY_NAME_MAXIMUM_LENGTH, serviceKeyName.maximumLength()));
    char[] buffer = serviceKeyName.buffer();
    int end = serviceKeyName.length() / 2;
    services.setValueKey(out, flag(SERVICE_KEY_NAME_NUL_TERMINATED,
        buffer != null && buffer.length > end && buffer[end] == '\0'));
    services.setValueKey(out, RegValue.string(DRIVER_NAME, driver.driverName().text()));
    services.setValueKey(out,
        RegValue.string(HARDWARE_DATABASE, driver.hardwareDatabase().text()));

    DispatchRoutine first = driver.majorFunction(0);
    boolean alike = first != null;
    for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
      alike &= driver.majorFunction(i) == first;
    }
    services.setValueKey(out, flag(DEFAULT_HANDLERS_ALIKE, alike));

    ObjectResult byName = services.referenceObjectByName(driver.driverName(), ObjectKind.DRIVER);
    services.setValueKey(out, RegValue.dword(BY_NAME_STATUS, byName.status().code()));
    services.setValueKey(out, flag(BY_NAME_IS_SELF, byName.object() == driver));
    if (byName.object() != null) {
      services.dereferenceObject(byName.object());
    }

    // The image policy denies Class.getClassLoader and ClassLoader.getSystemClassLoader to an
    // image, so the probe reads its loader's name from its own stack frame, which the JVM fills
    // in from the defining loader ("app" for the class path's loader).
    String own = String.valueOf(new Throwable().getStackTrace()[0].getClassLoaderName());
    services.setValueKey(out, flag(OWN_LOADER, !own.equals("app")));
    services.setValueKey(out, RegValue.string(LOADER_NAME, own));
    services.setValueKey(out, flag(KERNEL_CLASS_HIDDEN, kernelClassHidden()));
    services.setValueKey(out, flag(CLASS_PATH_COPY_DISTINCT, classPathCopyDistinct()));
  }

  private static boolean kernelClassHidden() {
    try {
      Class.forName("ntio.kernel.Kernel");
      return false;
    } catch (ClassNotFoundException expected) {
      return true;
    }
  }

  /**
   * Whether this class was defined from the image, not from the class path's copy: its code
   * source is the image JAR (the class path's copy comes from a directory of class files).
   */
  private boolean classPathCopyDistinct() {
    java.security.CodeSource source = getClass().getProtectionDomain().getCodeSource();
    return source != null && source.getLocation() != null
        && source.getLocation().getPath().endsWith(".jar");
  }

  private NtStatus act(KernelServices services, Handle out, DriverObject driver, String keyPath) {
    Parameters parameters = Parameters.read(services, keyPath + "\\" + PARAMETERS);
    if (parameters.isSet(UNLOAD_SELF)) {
      NtStatus status = services.unloadDriver(UnicodeString.of(keyPath));
      services.setValueKey(out, RegValue.dword(UNLOAD_SELF_STATUS, status.code()));
    }
    if (parameters.isSet(LOAD_SELF)) {
      NtStatus status = services.loadDriver(UnicodeString.of(keyPath));
      services.setValueKey(out, RegValue.dword(LOAD_SELF_STATUS, status.code()));
    }
    Optional<String> other = parameters.string(LOAD_OTHER);
    if (other.isPresent()) {
      NtStatus status = services.loadDriver(UnicodeString.of(other.get()));
      services.setValueKey(out, RegValue.dword(LOAD_OTHER_STATUS, status.code()));
    }
    Optional<String> unloadOther = parameters.string(UNLOAD_OTHER);
    if (unloadOther.isPresent()) {
      NtStatus status = services.unloadDriver(UnicodeString.of(unloadOther.get()));
      services.setValueKey(out, RegValue.dword(UNLOAD_OTHER_STATUS, status.code()));
    }

    DeviceObject device = null;
    Optional<String> deviceName = parameters.string(DEVICE);
    if (deviceName.isPresent()) {
      DeviceResult created = services.createDevice(driver, null,
          UnicodeString.of(deviceName.get()), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
      services.setValueKey(out, RegValue.dword(DEVICE_STATUS, created.status().code()));
      if (!created.status().isSuccess()) {
        return created.status();
      }
      device = created.device();
      services.setValueKey(out, RegValue.dword(DEVICE_FLAGS_IN_ENTRY, device.flags()));
    }
    Optional<String> link = parameters.string(LINK);
    if (link.isPresent() && deviceName.isPresent()) {
      NtStatus linked = services.createSymbolicLink(
          UnicodeString.of(link.get()), UnicodeString.of(deviceName.get()));
      services.setValueKey(out, RegValue.dword(LINK_STATUS, linked.code()));
    }

    if (parameters.isSet(OWN_DISPATCH)) {
      for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
        driver.setMajorFunction(i, null);
      }
      DispatchRoutine succeed = (target, irp) -> complete(services, irp, NtStatus.STATUS_SUCCESS);
      driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, succeed);
      driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, succeed);
      driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, succeed);
      driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, succeed);
    }
    if (parameters.isSet(THROW_IN_READ)) {
      driver.setMajorFunction(MajorFunctions.IRP_MJ_READ, (target, irp) -> {
        count(services, keyPath, READ_COUNT);
        throw new IllegalStateException("the scripted read routine refuses on "
            + Thread.currentThread().getName());
      });
    }
    if (parameters.isSet(SET_UNLOAD)) {
      driver.setDriverUnload(unloading -> unload(unloading, keyPath, link));
    }
    if (parameters.isSet(THROW_IN_ENTRY)) {
      throw new IllegalStateException("the scripted DriverEntry refuses on "
          + Thread.currentThread().getName());
    }

    NtStatus status = NtStatus.of(parameters.dword(STATUS).orElse(0));
    if (!status.isSuccess() && device != null && !parameters.isSet(LEAK_DEVICE)) {
      // DriverUnload never runs for a failed DriverEntry: undo what was made, as the rules say.
      link.ifPresent(name -> services.deleteSymbolicLink(UnicodeString.of(name)));
      services.deleteDevice(device);
    }
    return status;
  }

  private static NtStatus complete(KernelServices services, Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, 0);
    return status;
  }

  /** DriverUnload: counts itself, then deletes the link and every device. */
  private static void unload(DriverObject driver, String keyPath, Optional<String> link) {
    KernelServices services = driver.services();
    count(services, keyPath, UNLOAD_COUNT);
    link.ifPresent(name -> services.deleteSymbolicLink(UnicodeString.of(name)));
    List<DeviceObject> devices = new ArrayList<>();
    for (DeviceObject d = driver.deviceObject(); d != null; d = d.nextDevice()) {
      devices.add(d);
    }
    for (DeviceObject d : devices) {
      services.deleteDevice(d);
    }
  }

  private static void count(KernelServices services, String keyPath, String name) {
    HandleResult key = services.createKey(
        UnicodeString.of(keyPath + "\\" + OBSERVED), AccessMask.KEY_ALL_ACCESS, 0);
    if (!key.status().isSuccess()) {
      return;
    }
    try {
      int now = dword(services, key.handle(), name).orElse(0) + 1;
      services.setValueKey(key.handle(), RegValue.dword(name, now));
    } finally {
      services.close(key.handle());
    }
  }

  private static RegValue flag(String name, boolean value) {
    return RegValue.dword(name, value ? 1 : 0);
  }

  private static OptionalInt dword(KernelServices services, Handle key, String name) {
    ValueResult value = services.queryValueKey(key, UnicodeString.of(name));
    return value.status().isSuccess() ? value.value().dwordValue() : OptionalInt.empty();
  }

  /** The Parameters key's values, read once. */
  private static final class Parameters {
    private final List<RegValue> values;

    private Parameters(List<RegValue> values) {
      this.values = values;
    }

    static Parameters read(KernelServices services, String path) {
      List<RegValue> values = new ArrayList<>();
      HandleResult key = services.openKey(UnicodeString.of(path), AccessMask.KEY_READ);
      if (!key.status().isSuccess()) {
        return new Parameters(values);
      }
      try {
        for (String name : List.of(STATUS, DEVICE, LINK, LEAK_DEVICE, SET_UNLOAD, OWN_DISPATCH,
            THROW_IN_READ, THROW_IN_ENTRY, LOAD_SELF, UNLOAD_SELF, LOAD_OTHER, UNLOAD_OTHER)) {
          ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of(name));
          if (value.status().isSuccess()) {
            values.add(value.value());
          }
        }
      } finally {
        services.close(key.handle());
      }
      return new Parameters(values);
    }

    private Optional<RegValue> value(String name) {
      return values.stream().filter(v -> v.name().equalsIgnoreCase(name)).findFirst();
    }

    OptionalInt dword(String name) {
      Optional<RegValue> value = value(name);
      return value.isPresent() ? value.get().dwordValue() : OptionalInt.empty();
    }

    boolean isSet(String name) {
      return dword(name).orElse(0) != 0;
    }

    Optional<String> string(String name) {
      return value(name).filter(v -> v.type() == RegType.REG_SZ).flatMap(RegValue::stringValue);
    }
  }
}
