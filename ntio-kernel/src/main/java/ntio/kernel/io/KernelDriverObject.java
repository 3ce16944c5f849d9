package ntio.kernel.io;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import ntio.ddk.DeviceObject;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverDispatchTable;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverExtension;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectType;

/**
 * A driver object. Models {@code DRIVER_OBJECT} with its {@code DRIVER_EXTENSION} and client
 * extensions (partial: see {@link DriverObject}).
 *
 * <p>Its references: the loader's "load reference" (the creator's, kept from insertion until the
 * driver unloads or its DriverEntry fails), one per device object it created, and transient ones.
 * When the last goes, the Driver type's delete procedure frees the client extensions and unmaps
 * the image ({@code IopDeleteDriver}).
 *
 * <p>Implementation notes: the methods ending in {@code Locked} expect their caller to hold the
 * kernel's one I/O database lock already, since the caller's decision spans several objects
 * (asserted; tests run with assertions on), and each also takes it itself, reentrantly: Error
 * Prone cannot tie a caller's {@code io.database} to this object's own {@code database} reference,
 * but it does check every access to a guarded field here against the lock this method holds. None
 * of them hands a guarded mutable object out. The device list, the client extensions and the {@link DriverState} machine
 * (from which the {@code DRVO_} bits a driver reads derive) are guarded by the I/O database lock; the dispatch table, the unload routine and AddDevice (the DDK's {@link
 * DriverDispatchTable}) are written by the driver itself without a lock, as in NT.
 */
final class KernelDriverObject extends KernelObject implements DriverObject {

  /**
   * {@code HardwareDatabase}, NUL-terminated as NT's is: {@code MaximumLength} is {@code Length}
   * + 2 and the buffer's character past the text is NUL (ReactOS {@code
   * kmtests/ntos_io/IoDeviceObject_drv.c}, {@code TestDriverObject}, run on Windows, checks both).
   */
  static final UnicodeString HARDWARE_DATABASE = nulTerminated(
      "\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM");

  private final IoDatabase database;
  private final UnicodeString driverName;
  private final UnicodeString serviceKeyName;
  private final DriverEntry driverInit;
  private final LoadedImage image;
  private final Extension extension = new Extension();
  private final DriverDispatchTable dispatchTable;
  private volatile KernelServices services;

  /**
   * The I/O manager's load sequence number, from 1: set once, when DriverEntry (or a builtin's
   * initialization routine) succeeded; 0 until then. What a host unloads in reverse of.
   */
  private volatile long loadOrder;

  /** The {@code DRVO_} bits fixed at creation: {@code DRVO_LEGACY_DRIVER}, {@code DRVO_BUILTIN_DRIVER}. */
  private final int baseFlags;

  /** Head of the device list: the most recently created device. */
  @GuardedBy("database")
  private KernelDeviceObject firstDevice;

  /**
   * Where the driver is in its life; the {@code DRVO_INITIALIZED} and {@code DRVO_UNLOAD_INVOKED}
   * bits derive from it. Written only by {@link UnloadPolicy}.
   */
  @GuardedBy("database")
  private final Lifecycle<DriverState> lifecycle;

  /** Client extensions by identification address ({@code IoAllocateDriverObjectExtension}). */
  @GuardedBy("database")
  private final Map<Object, Object> clientExtensions = new LinkedHashMap<>();

  KernelDriverObject(ObjectType type, IoDatabase database, String driverName, String serviceKeyName,
      DriverEntry driverInit, LoadedImage image, int flags, DispatchRoutine defaultHandler) {
    super(type);
    this.database = database;
    this.driverName = UnicodeString.of(driverName);
    this.serviceKeyName = serviceKeyName == null ? null : nulTerminated(serviceKeyName);
    this.driverInit = driverInit;
    this.image = image;
    this.baseFlags = flags;
    this.lifecycle = new Lifecycle<>("Driver " + driverName, DriverState.LOADING);
    this.dispatchTable = new DriverDispatchTable(defaultHandler);
  }

  /** A string as NT stores a service key name or HardwareDatabase: MaximumLength adds the NUL (T1). */
  private static UnicodeString nulTerminated(String text) {
    char[] buffer = (text + '\0').toCharArray();
    return UnicodeString.raw(text.length() * 2, text.length() * 2 + 2, buffer);
  }

  void setServices(KernelServices services) {
    this.services = services;
  }

  LoadedImage image() {
    return image;
  }

  /** The load sequence number; 0 while the driver is not initialized. */
  long loadOrder() {
    return loadOrder;
  }

  /** Records the load sequence number when initialization succeeded; set once. */
  void setLoadOrder(long sequence) {
    assert loadOrder == 0 : "load order set twice for " + describe();
    this.loadOrder = sequence;
  }

  @Override
  public int flags() {
    synchronized (database) {
      return flagsLocked();
    }
  }

  int flagsLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return baseFlags | lifecycle.state().flags(lifecycle.previous());
    }
  }

  /** Whether the driver is a legacy (non-WDM) driver: {@code DRVO_LEGACY_DRIVER}, fixed at creation. */
  boolean isLegacy() {
    return (baseFlags & ntio.ddk.DriverFlags.DRVO_LEGACY_DRIVER) != 0;
  }

  DriverState stateLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return lifecycle.state();
    }
  }

  /** A transition of the state machine; called by {@link UnloadPolicy} only, its one writer. */
  void moveToLocked(DriverState next, String cause) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      lifecycle.moveTo(next, cause);
    }
  }

  /** The state before the current one (what the {@code DRVO_} bits of some states depend on). */
  DriverState previousStateLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return lifecycle.previous();
    }
  }

  /** The driver's state now. */
  DriverState state() {
    synchronized (database) {
      return lifecycle.state();
    }
  }

  /** The driver's last transitions, oldest first, each as {@code STATE (cause)}. */
  java.util.List<String> history() {
    synchronized (database) {
      return lifecycle.history();
    }
  }

  @Override
  public DeviceObject deviceObject() {
    synchronized (database) {
      return firstDevice;
    }
  }

  KernelDeviceObject firstDeviceLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return firstDevice;
    }
  }

  void setFirstDeviceLocked(KernelDeviceObject device) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      firstDevice = device;
    }
  }

  /** Every device of the driver, head first. */
  List<KernelDeviceObject> devicesLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      List<KernelDeviceObject> devices = new ArrayList<>();
      for (KernelDeviceObject d = firstDevice; d != null; d = d.nextDeviceLocked()) {
        devices.add(d);
      }
      return devices;
    }
  }

  /** Frees the client extensions: the Driver type's delete procedure, by {@link UnloadPolicy}. */
  void clearClientExtensionsLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      clientExtensions.clear();
    }
  }

  NtStatus allocateClientExtension(Object clientId, Supplier<?> supplier) {
    synchronized (database) {
      if (clientExtensions.containsKey(clientId)) {
        return NtStatus.STATUS_OBJECT_NAME_COLLISION;
      }
    }
    // The supplier is driver code: never called under the database lock.
    Object value = supplier.get();
    if (value == null) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    synchronized (database) {
      return clientExtensions.putIfAbsent(clientId, value) == null
          ? NtStatus.STATUS_SUCCESS
          : NtStatus.STATUS_OBJECT_NAME_COLLISION;
    }
  }

  Object clientExtension(Object clientId) {
    synchronized (database) {
      return clientExtensions.get(clientId);
    }
  }

  @Override
  public DriverExtension driverExtension() {
    return extension;
  }

  @Override
  public UnicodeString driverName() {
    return driverName;
  }

  @Override
  public UnicodeString hardwareDatabase() {
    return HARDWARE_DATABASE;
  }

  @Override
  public DriverEntry driverInit() {
    return driverInit;
  }

  @Override
  public Optional<String> imagePath() {
    return image == null ? Optional.empty() : Optional.of(image.ntPath());
  }

  /** {@code MajorFunction[]}, {@code DriverUnload} and {@code AddDevice}: the DDK's struct. */
  @Override
  public DriverDispatchTable dispatchTable() {
    return dispatchTable;
  }

  /** B11: every entry the driver left null becomes the default handler again. */
  void fixNullDispatchEntries(DispatchRoutine defaultHandler) {
    dispatchTable.replaceNullEntries(defaultHandler);
  }

  @Override
  public KernelServices services() {
    return services;
  }

  /** The service name as the registry spells it, or the driver name for a builtin driver. */
  String serviceName() {
    return serviceKeyName == null ? driverName.text() : serviceKeyName.text();
  }

  @Override
  public String describe() {
    return "Driver " + driverName.text();
  }

  /** The {@code DRIVER_EXTENSION}. */
  private final class Extension implements DriverExtension {
    @Override
    public DriverObject driverObject() {
      return KernelDriverObject.this;
    }

    /** Always 0: ntio has no reinitialization routines, the only thing that counts here. */
    @Override
    public int count() {
      return 0;
    }

    @Override
    public UnicodeString serviceKeyName() {
      return serviceKeyName == null ? driverName : serviceKeyName;
    }
  }
}
