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
 * <p>Implementation notes: the methods ending in {@code Locked} expect the caller to hold the
 * kernel's one I/O database lock. Error Prone cannot tie that lock to this object's own reference
 * to it, so those methods suppress its check and assert the lock instead (tests run with
 * assertions on). Every mutable field is guarded by the I/O database lock, the {@link DeviceState}
 * machine (from which the {@code DOE_} bits derive) included. A device
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
   * UnloadPolicy}.
   */
  @GuardedBy("database")
  private final Lifecycle<DeviceState> lifecycle;

  /** Whether a file system registered it ({@code IoRegisterFileSystem}). */
  @GuardedBy("database")
  private boolean registeredFileSystem;

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

  @SuppressWarnings("GuardedBy") // see the implementation notes
  KernelDeviceObject nextDeviceLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return nextDevice;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void setNextDeviceLocked(KernelDeviceObject next) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    nextDevice = next;
  }

  @Override
  public DeviceObject attachedDevice() {
    synchronized (database) {
      return attachedDevice;
    }
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  KernelDeviceObject attachedDeviceLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return attachedDevice;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void setAttachedDeviceLocked(KernelDeviceObject device) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    attachedDevice = device;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  KernelDeviceObject attachedToLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return attachedTo;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void setAttachedToLocked(KernelDeviceObject device) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    attachedTo = device;
  }

  @Override
  public int flags() {
    synchronized (database) {
      return flags;
    }
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  int flagsLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return flags;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void setSystemFlagsLocked(int bits) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    flags |= bits;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void clearSystemFlagsLocked(int bits) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    flags &= ~bits;
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

  @SuppressWarnings("GuardedBy") // see the implementation notes
  int stackSizeLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return stackSize;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void setStackSizeLocked(int size) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    stackSize = size;
  }

  @Override
  public int referenceCount() {
    synchronized (database) {
      return referenceCount;
    }
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  int referenceCountLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return referenceCount;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void incrementReferenceCountLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    referenceCount++;
  }

  /** Returns the count left; an underflow is an ntio bug. */
  @SuppressWarnings("GuardedBy") // see the implementation notes
  int decrementReferenceCountLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    if (referenceCount <= 0) {
      throw new IllegalStateException(
          "ReferenceCount of " + describe() + " below zero: " + referenceCount + ", delta -1");
    }
    return --referenceCount;
  }

  @Override
  public int alignmentRequirement() {
    synchronized (database) {
      return alignmentRequirement;
    }
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  int alignmentRequirementLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return alignmentRequirement;
  }

  @Override
  public int sectorSize() {
    synchronized (database) {
      return sectorSize;
    }
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  int sectorSizeLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return sectorSize;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void copyGeometryLocked(KernelDeviceObject from) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    alignmentRequirement = from.alignmentRequirement;
    sectorSize = from.sectorSize;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  int extensionFlagsLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return lifecycle.state().extensionFlags(lifecycle.previous());
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  DeviceState stateLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return lifecycle.state();
  }

  /** The state machine itself, for {@link UnloadPolicy}, its one writer. */
  @SuppressWarnings("GuardedBy") // see the implementation notes
  Lifecycle<DeviceState> lifecycleLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return lifecycle;
  }

  /** The device's last transitions, oldest first, each as {@code STATE (cause)}. */
  java.util.List<String> history() {
    synchronized (database) {
      return lifecycle.history();
    }
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  boolean isRegisteredFileSystemLocked() {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    return registeredFileSystem;
  }

  @SuppressWarnings("GuardedBy") // see the implementation notes
  void setRegisteredFileSystemLocked(boolean registered) {
    assert Thread.holdsLock(database) : "I/O database lock not held";
    registeredFileSystem = registered;
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
