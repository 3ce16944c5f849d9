package ntio.kernel.io;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Optional;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceObjectExtension;
import ntio.ddk.DriverObject;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectType;

/**
 * A device object. Models {@code DEVICE_OBJECT} with its {@code DEVOBJ_EXTENSION} (partial: see
 * {@link DeviceObject}).
 *
 * <p>Two counts, kept apart as NT keeps them: the object header's pointer count (memory; the
 * "keep-alive" reference taken at creation is dropped only when the device is finally unlinked)
 * and {@link #referenceCount()}, the opens, which unload and delete decisions use.
 *
 * <p>Implementation notes: every mutable field is guarded by the kernel's one I/O database lock,
 * the {@link DeviceState} machine (from which the {@code DOE_} bits derive) included. The methods
 * ending in {@code Locked} expect their caller to hold it already, since the caller's decision
 * spans several objects (asserted; tests run with assertions on), and each also takes it itself,
 * reentrantly: Error Prone cannot tie a caller's {@code io.database} to this object's own {@code
 * database} reference, but it does check every access to a guarded field here against the lock
 * this method holds, so no guarded field is read or written outside it. The three reads every
 * request makes ({@link #attachedDeviceLocked}, {@link #stackSizeLocked}, {@link #flagsLocked},
 * from {@code Requests.prepare}) are the exception: a reentrant acquisition costs about as much as
 * a first one, so they only assert the caller's hold and suppress the check. None of them hands a
 * guarded mutable object out: the state machine changes through {@link #moveToLocked}. A device
 * holds a reference on its driver from the moment it is linked into the driver's list until its
 * delete procedure runs.
 */
final class KernelDeviceObject extends KernelObject implements DeviceObject {

  private final IoDatabase database;
  private final KernelDriverObject driver;
  private final Object extension;
  private final int deviceType;
  private final int characteristics;
  private final DeviceObjectExtension deviceObjectExtension = new Extension();

  @GuardedBy("database")
  private KernelDeviceObject nextDevice;

  @GuardedBy("database")
  private KernelDeviceObject attachedDevice;

  @GuardedBy("database")
  private KernelDeviceObject attachedTo;

  @GuardedBy("database")
  private int flags;


  @GuardedBy("database")
  private int referenceCount;

  @GuardedBy("database")
  private int stackSize = 1;

  @GuardedBy("database")
  private int alignmentRequirement;

  @GuardedBy("database")
  private int sectorSize;

  /**
   * Where the device is in its life; the {@code DOE_} bits derive from it. Written only by {@link
   * UnloadPolicy}, as is {@link #referenceCount}.
   */
  @GuardedBy("database")
  private final Lifecycle<DeviceState> lifecycle;

  /**
   * Whether a file system registered it ({@code IoRegisterFileSystem}): then the registration holds
   * one of its {@link #referenceCount}. Not a {@link DeviceState}, since a registered control
   * device goes through the same states as any other; written only by {@link UnloadPolicy}, with
   * the reference it stands for.
   */
  @GuardedBy("database")
  private boolean registeredFileSystem;
  /** DOE_REMOVE_PENDING / DOE_REMOVE_PROCESSED; written only by {@link UnloadPolicy}. */
  @GuardedBy("database")
  private int pnpRemovalFlags;

  KernelDeviceObject(ObjectType type, IoDatabase database, KernelDriverObject driver, Object extension,
      int deviceType, int characteristics, int flags, int sectorSize) {
    super(type);
    this.database = database;
    this.driver = driver;
    this.extension = extension;
    this.deviceType = deviceType;
    this.characteristics = characteristics;
    this.lifecycle = new Lifecycle<>("Device of " + driver.describe(), DeviceState.NEW);
    synchronized (database) {
      this.flags = flags;
      this.sectorSize = sectorSize;
    }
  }

  KernelDriverObject driver() {
    return driver;
  }

  @Override
  public DriverObject driverObject() {
    return driver;
  }

  @Override
  public DeviceObject nextDevice() {
    synchronized (database) {
      return nextDevice;
    }
  }

  KernelDeviceObject nextDeviceLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return nextDevice;
    }
  }

  void setNextDeviceLocked(KernelDeviceObject next) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      nextDevice = next;
    }
  }

  @Override
  public DeviceObject attachedDevice() {
    synchronized (database) {
      return attachedDevice;
    }
  }

  @SuppressWarnings("GuardedBy") // every request reads it (Requests.prepare): no second, reentrant acquisition
  KernelDeviceObject attachedDeviceLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return attachedDevice;
  }

  void setAttachedDeviceLocked(KernelDeviceObject device) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      attachedDevice = device;
    }
  }

  KernelDeviceObject attachedToLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return attachedTo;
    }
  }

  void setAttachedToLocked(KernelDeviceObject device) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      attachedTo = device;
    }
  }

  @Override
  public int flags() {
    synchronized (database) {
      return flags;
    }
  }

  @SuppressWarnings("GuardedBy") // every request reads it (Requests.prepare): no second, reentrant acquisition
  int flagsLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return flags;
  }

  void setSystemFlagsLocked(int bits) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      flags |= bits;
    }
  }

  void clearSystemFlagsLocked(int bits) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      flags &= ~bits;
    }
  }

  @Override
  public void setFlags(int bits) {
    checkDriverOwned(bits);
    synchronized (database) {
      flags |= bits;
    }
  }

  @Override
  public void clearFlags(int bits) {
    checkDriverOwned(bits);
    synchronized (database) {
      flags &= ~bits;
    }
  }

  private static void checkDriverOwned(int bits) {
    if ((bits & DeviceFlags.DO_SYSTEM_OWNED) != 0) {
      throw new IllegalArgumentException(String.format(
          "flags 0x%X are the I/O manager's, not the driver's (DO_SYSTEM_OWNED 0x%X)",
          bits & DeviceFlags.DO_SYSTEM_OWNED, DeviceFlags.DO_SYSTEM_OWNED));
    }
  }

  @Override
  public int characteristics() {
    return characteristics;
  }

  @Override
  public int deviceType() {
    return deviceType;
  }

  @Override
  public int stackSize() {
    synchronized (database) {
      return stackSize;
    }
  }

  @SuppressWarnings("GuardedBy") // every request reads it (Requests.prepare): no second, reentrant acquisition
  int stackSizeLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return stackSize;
  }

  void setStackSizeLocked(int size) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      stackSize = size;
    }
  }

  @Override
  public int referenceCount() {
    synchronized (database) {
      return referenceCount;
    }
  }

  int referenceCountLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return referenceCount;
    }
  }

  void incrementReferenceCountLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      referenceCount++;
    }
  }

  /** Returns the count left; an underflow is an ntio bug. */
  int decrementReferenceCountLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      if (referenceCount <= 0) {
        throw new IllegalStateException(
            "ReferenceCount of " + describe() + " below zero: " + referenceCount + ", delta -1");
      }
      return --referenceCount;
    }
  }

  @Override
  public int alignmentRequirement() {
    synchronized (database) {
      return alignmentRequirement;
    }
  }

  int alignmentRequirementLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return alignmentRequirement;
    }
  }

  @Override
  public int sectorSize() {
    synchronized (database) {
      return sectorSize;
    }
  }

  int sectorSizeLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return sectorSize;
    }
  }

  void copyGeometryLocked(KernelDeviceObject from) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      alignmentRequirement = from.alignmentRequirementLocked();
      sectorSize = from.sectorSizeLocked();
    }
  }

  int extensionFlagsLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return lifecycle.state().extensionFlags(lifecycle.previous()) | pnpRemovalFlags;
    }
  }

  /**
   * {@code DOE_REMOVE_PENDING} / {@code DOE_REMOVE_PROCESSED}: where the PnP manager's removal of
   * the device's stack is; written by {@link UnloadPolicy} only.
   */
  void setPnpRemovalLocked(int flags) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      pnpRemovalFlags = flags;
    }
  }

  /** The PnP removal bits ({@link #setPnpRemovalLocked}). */
  int pnpRemovalLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return pnpRemovalFlags;
    }
  }

  DeviceState stateLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return lifecycle.state();
    }
  }

  /** A transition of the state machine; called by {@link UnloadPolicy} only, its one writer. */
  void moveToLocked(DeviceState next, String cause) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      lifecycle.moveTo(next, cause);
    }
  }

  /** The device's last transitions, oldest first, each as {@code STATE (cause)}. */
  java.util.List<String> history() {
    synchronized (database) {
      return lifecycle.history();
    }
  }

  boolean isRegisteredFileSystemLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      return registeredFileSystem;
    }
  }

  void setRegisteredFileSystemLocked(boolean registered) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    synchronized (database) { // reentrant: see the implementation notes
      registeredFileSystem = registered;
    }
  }

  @Override
  public DeviceObjectExtension deviceObjectExtension() {
    return deviceObjectExtension;
  }

  @Override
  public Object deviceExtension() {
    return extension;
  }

  @Override
  public Optional<String> deviceName() {
    return fullName();
  }

  @Override
  public String describe() {
    return "Device " + fullName().orElse("(unnamed, " + driver.driverName().text() + ")");
  }

  /** The {@code DEVOBJ_EXTENSION}. */
  private final class Extension implements DeviceObjectExtension {
    @Override
    public DeviceObject deviceObject() {
      return KernelDeviceObject.this;
    }

    @Override
    public int extensionFlags() {
      synchronized (database) {
        return extensionFlagsLocked();
      }
    }

    @Override
    public DeviceObject attachedTo() {
      synchronized (database) {
        return attachedTo;
      }
    }
  }
}
