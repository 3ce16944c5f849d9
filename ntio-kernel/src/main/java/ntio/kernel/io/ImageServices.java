package ntio.kernel.io;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import ntio.api.KeyCreateResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.FileObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ObjectKind;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.ShareAccess;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.process.KThread;

/**
 * One image's import table: the {@link KernelServices} its driver calls. Because each image has
 * its own, the kernel knows which driver made each call — pool is charged to the image — and a
 * call made after the image was unmapped is caught as the bug check NT gives for code of an
 * unloaded driver running (DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0xCE) instead of
 * silently working.
 *
 * <p>Every call runs in kernel mode in the calling thread's process (a System thread for
 * DriverEntry, DriverUnload and work items): no privilege or access check applies, as for a driver.
 */
final class ImageServices implements KernelServices {

  private final IoManager io;
  private final KernelDriverObject driver;
  private final PoolOwner owner;
  private volatile boolean unloaded;
  private final ImageResources resources = new ImageResources();

  /** The verifier's record of this image, or null when it is not verified. */
  private final ntio.kernel.verifier.VerifiedImage verified;

  ImageServices(IoManager io, KernelDriverObject driver) {
    this(io, driver, null);
  }

  ImageServices(IoManager io, KernelDriverObject driver,
      ntio.kernel.verifier.VerifiedImage verified) {
    this.io = io;
    this.driver = driver;
    this.owner = driver.image() != null ? driver.image().poolOwner() : PoolOwner.named(driver.serviceName());
    this.verified = verified;
  }

  /** The verifier's record of this image, or null when it is not verified. */
  ntio.kernel.verifier.VerifiedImage verified() {
    return verified;
  }

  /** The image is gone: every later call is a bug check. */
  void markUnloaded() {
    unloaded = true;
  }

  IoManager io() {
    return io;
  }

  /** What this image has running or registered that could outlive its code. */
  ImageResources resources() {
    return resources;
  }

  /** The image's name for reports, or the service's for a builtin driver. */
  String driverName() {
    return driver.image() != null ? driver.image().imageName() : driver.serviceName();
  }

  /**
   * Runs a routine of the driver the kernel called back (a DPC, a work item, a thread's start
   * routine): bug check 0xCE if the image is gone, 0x1E if the routine throws.
   */
  void runDriverCallback(String what, Runnable routine) {
    if (unloaded) {
      refuseIfUnloaded(what + " of " + driver.describe() + " ran");
    }
    io.callDriver(driver, () -> {
      routine.run();
      return null;
    });
  }

  /**
   * The gate of a routine with no status to return: bug check 0xCE once the image is gone; once
   * the kernel has halted, the halt's bug check again, so that driver code which caught it cannot
   * carry on through the kernel (the halt is final).
   */
  void checkLoaded(String routine) {
    if (!enter(routine)) {
      throw new ntio.kernel.executive.BugCheckException(io.bugChecks.first().orElseThrow());
    }
  }

  /**
   * The gate of a routine that returns a status: bug check 0xCE once the image is gone; false once
   * the kernel has halted, and the routine answers {@code STATUS_SYSTEM_SHUTDOWN} (or its
   * documented failure, such as a null IRP) having done nothing.
   */
  private boolean enter(String routine) {
    if (unloaded) { // the message is built only for the bug check, not on every call
      refuseIfUnloaded(routine + " called through the services of " + driver.describe());
    }
    return !io.bugChecks.isHalted();
  }

  /** Bug check 0xCE once the image is gone: {@code happened} is what ran into it. */
  private void refuseIfUnloaded(String happened) {
    if (unloaded) {
      throw io.bugChecks.raise(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0, 0, 0, 0,
          driver.serviceName(), happened + " after its image was unloaded");
    }
  }

  private KThread kernelThread() {
    return io.processes.currentThread().orElseGet(io.processes::systemThread).asKernel();
  }

  private KernelDeviceObject device(DeviceObject device, String routine) {
    if (device instanceof KernelDeviceObject d && d.type() == io.deviceType) {
      return d;
    }
    throw io.driverFault(driver, new IllegalArgumentException(routine + " given " + device + ", not a device object"));
  }

  private KernelDriverObject ownDriver(DriverObject given, String routine) {
    if (given == driver) {
      return driver;
    }
    throw io.driverFault(driver, new IllegalArgumentException(routine + " given " + given + ", not the calling driver"));
  }

  // Devices ---------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * @implNote [MODEL] NT allocates the device object and its extension from non-paged pool, so
   *     the verifier's low resources simulations may fail the call; ntio has no pool behind a
   *     device object, and lets the simulations consider the call as one allocation tagged {@code
   *     Devi} ({@link ntio.kernel.verifier.Verifier#DEVICE_OBJECT_TAG}). A failed call returns
   *     {@code STATUS_INSUFFICIENT_RESOURCES} and no device, as NT does when the allocation fails.
   */
  @Override
  public DeviceResult createDevice(DriverObject owner, Object extension, UnicodeString name, int deviceType,
      int characteristics, boolean exclusive) {
    if (!enter("IoCreateDevice")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    KernelDriverObject creator = ownDriver(owner, "IoCreateDevice");
    if (verified != null && io.verifier.injectFault(verified, "IoCreateDevice",
        ntio.kernel.verifier.Verifier.DEVICE_OBJECT_TAG)) {
      return new DeviceResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    return io.devices.create(creator, extension, name, deviceType, characteristics, exclusive);
  }

  @Override
  public void deleteDevice(DeviceObject device) {
    checkLoaded("IoDeleteDevice");
    io.devices.delete(device(device, "IoDeleteDevice"));
  }

  @Override
  public DeviceResult attachDeviceToDeviceStack(DeviceObject source, DeviceObject target) {
    if (!enter("IoAttachDeviceToDeviceStackSafe")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    return io.devices.attach(device(source, "IoAttachDeviceToDeviceStackSafe"),
        device(target, "IoAttachDeviceToDeviceStackSafe"));
  }

  @Override
  public DeviceResult attachDevice(DeviceObject source, UnicodeString targetName) {
    if (!enter("IoAttachDevice")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    KernelDeviceObject attaching = device(source, "IoAttachDevice");
    KThread thread = kernelThread();
    // B31: open the target for attributes with IO_ATTACH_DEVICE, which passes an exclusive device.
    OpenResult opened = io.objects.openByName(
        new ObjectAttributes(Handle.NULL, targetName, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE),
        io.fileType, AccessMask.FILE_READ_ATTRIBUTES, thread, new OpenPacket(0, 0, true));
    if (!opened.status().isSuccess()) {
      return new DeviceResult(opened.status(), null);
    }
    // As NT's IopGetDeviceObjectPointer: keep the file object, close the handle (the target sees
    // its cleanup before anything is stacked on it), attach, then let the file object go.
    Referenced<KernelFileObject> file = io.objects.referenceByHandle(opened.handle(), 0, io.fileType, thread);
    io.objects.close(opened.handle(), thread);
    try {
      return io.devices.attach(attaching, file.object().device());
    } finally {
      file.object().dereference();
    }
  }

  @Override
  public void detachDevice(DeviceObject target) {
    checkLoaded("IoDetachDevice");
    io.devices.detach(device(target, "IoDetachDevice"));
  }

  @Override
  public DeviceObject getLowerDeviceObject(DeviceObject device) {
    checkLoaded("IoGetLowerDeviceObject");
    return io.devices.lower(device(device, "IoGetLowerDeviceObject"));
  }

  @Override
  public DeviceObject getRelatedDeviceObject(ntio.ddk.FileObject file) {
    checkLoaded("IoGetRelatedDeviceObject");
    if (!(file instanceof KernelFileObject opened)) {
      throw io.driverFault(driver, new IllegalArgumentException("IoGetRelatedDeviceObject given " + file));
    }
    return io.devices.related(opened);
  }

  @Override
  public DeviceObject getAttachedDeviceReference(DeviceObject device) {
    checkLoaded("IoGetAttachedDeviceReference");
    return io.devices.attachedReference(device(device, "IoGetAttachedDeviceReference"));
  }

  @Override
  public DeviceObject getDeviceAttachmentBaseRef(DeviceObject device) {
    checkLoaded("IoGetDeviceAttachmentBaseRef");
    return io.devices.baseReference(device(device, "IoGetDeviceAttachmentBaseRef"));
  }

  @Override
  public DeviceList enumerateDeviceObjectList(DriverObject owner, int capacity) {
    if (!enter("IoEnumerateDeviceObjectList")) {
      return new DeviceList(NtStatus.STATUS_SYSTEM_SHUTDOWN, java.util.List.of(), 0);
    }
    if (!(owner instanceof KernelDriverObject d)) {
      throw io.driverFault(driver, new IllegalArgumentException("IoEnumerateDeviceObjectList given " + owner));
    }
    return io.devices.enumerate(d, capacity);
  }

  @Override
  public void registerFileSystem(DeviceObject device) {
    checkLoaded("IoRegisterFileSystem");
    io.devices.registerFileSystem(device(device, "IoRegisterFileSystem"));
  }

  @Override
  public void unregisterFileSystem(DeviceObject device) {
    checkLoaded("IoUnregisterFileSystem");
    io.devices.unregisterFileSystem(device(device, "IoUnregisterFileSystem"));
  }

  // Requests --------------------------------------------------------------------------------------

  private KernelIrp irp(Irp irp, String routine) {
    if (irp instanceof KernelIrp k) {
      return k;
    }
    throw io.driverFault(driver, new IllegalArgumentException(routine + " given " + irp + ", not an IRP"));
  }

  @Override
  public void completeRequest(Irp irp, int priorityBoost) {
    checkLoaded("IoCompleteRequest");
    io.requests.completeRequest(irp(irp, "IoCompleteRequest"));
  }

  @Override
  public NtStatus callDriver(DeviceObject device, Irp irp) {
    if (!enter("IoCallDriver")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.requests.callDriver(device(device, "IoCallDriver"), irp(irp, "IoCallDriver"));
  }

  @Override
  public NtStatus checkShareAccess(int desiredAccess, int desiredShareAccess, FileObject file,
      ShareAccess share, boolean update) {
    if (!enter("IoCheckShareAccess")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    KernelFileObject open = file(file, "IoCheckShareAccess");
    requireArgument(share, "IoCheckShareAccess", "share access");
    KernelFileObject.ShareRecord record = new KernelFileObject.ShareRecord(
        (desiredAccess & (AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE)) != 0,
        (desiredAccess & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) != 0,
        (desiredAccess & AccessMask.DELETE) != 0,
        desiredShareAccess);
    open.setShareRecord(record);
    return share.check(record.read(), record.write(), record.delete(), desiredShareAccess, update);
  }

  @Override
  public void removeShareAccess(FileObject file, ShareAccess share) {
    checkLoaded("IoRemoveShareAccess");
    KernelFileObject open = file(file, "IoRemoveShareAccess");
    requireArgument(share, "IoRemoveShareAccess", "share access");
    KernelFileObject.ShareRecord record = open.shareRecord();
    if (record == null) {
      throw io.driverFault(driver, new IllegalArgumentException("IoRemoveShareAccess of " + open
          + ", for which IoCheckShareAccess never recorded an access"));
    }
    share.remove(record.read(), record.write(), record.delete(), record.shareAccess());
  }

  private KernelFileObject file(FileObject file, String routine) {
    if (file instanceof KernelFileObject k) {
      return k;
    }
    throw io.driverFault(driver, new IllegalArgumentException(routine + " given " + file
        + ", not a file object"));
  }

  @Override
  public DeviceObjectPointer getDeviceObjectPointer(UnicodeString name, int desiredAccess) {
    if (!enter("IoGetDeviceObjectPointer")) {
      return new DeviceObjectPointer(NtStatus.STATUS_SYSTEM_SHUTDOWN, null, null);
    }
    KThread thread = kernelThread();
    OpenResult opened = io.objects.openByName(
        new ObjectAttributes(Handle.NULL, name,
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE),
        io.fileType, desiredAccess, thread, new OpenPacket(0, 0, false));
    if (!opened.status().isSuccess()) {
      return new DeviceObjectPointer(opened.status(), null, null);
    }
    Referenced<KernelFileObject> file =
        io.objects.referenceByHandle(opened.handle(), 0, io.fileType, thread);
    // The handle goes at once (IRP_MJ_CLEANUP); the reference keeps the open until released.
    io.objects.close(opened.handle(), thread);
    if (!file.isSuccess()) {
      return new DeviceObjectPointer(file.status(), null, null);
    }
    return new DeviceObjectPointer(NtStatus.STATUS_SUCCESS, file.object(),
        io.devices.related(file.object()));
  }

  @Override
  public ntio.ddk.BuiltRequest buildDeviceIoControlRequest(int ioControlCode, DeviceObject device,
      byte[] input, int outputLength, boolean internal) {
    checkLoaded("IoBuildDeviceIoControlRequest");
    KernelDeviceObject target = device(device, "IoBuildDeviceIoControlRequest");
    requireNotNegative(outputLength, "IoBuildDeviceIoControlRequest", "output length");
    byte[] in = input == null ? new byte[0] : input.clone();
    return io.requests.buildControl(target, internal ? MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL
        : MajorFunctions.IRP_MJ_DEVICE_CONTROL, in, ioControlCode, outputLength);
  }

  @Override
  public ntio.ddk.BuiltRequest buildSynchronousFsdRequest(int majorFunction, DeviceObject device,
      byte[] buffer, int length, long byteOffset) {
    checkLoaded("IoBuildSynchronousFsdRequest");
    KernelDeviceObject target = device(device, "IoBuildSynchronousFsdRequest");
    requireNotNegative(length, "IoBuildSynchronousFsdRequest", "length");
    byte[] data = switch (majorFunction) {
      case MajorFunctions.IRP_MJ_READ -> null;
      case MajorFunctions.IRP_MJ_WRITE -> Arrays.copyOf(buffer == null ? new byte[0] : buffer, length);
      case MajorFunctions.IRP_MJ_FLUSH_BUFFERS, MajorFunctions.IRP_MJ_SHUTDOWN -> null;
      default -> throw io.driverFault(driver, new IllegalArgumentException(
          "IoBuildSynchronousFsdRequest for " + MajorFunctions.name(majorFunction)));
    };
    return io.requests.buildTransfer(target, majorFunction, data, length, byteOffset);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote For a verified image the low resources simulations may fail the call (DV6, DV7), as
   *     they do {@code IoAllocateIrp} on NT since Vista: it then returns null, NT's NULL IRP. The
   *     simulation's tag filter sees the IRP as tagged {@code Irp } ({@link
   *     ntio.kernel.verifier.Verifier#IRP_TAG}), NT's tag for IRPs.
   */
  @Override
  public Irp allocateIrp(int stackSize, byte[] systemBuffer) {
    if (!enter("IoAllocateIrp")) {
      return null;
    }
    if (stackSize < 1) {
      throw io.driverFault(driver, new IllegalArgumentException(
          "IoAllocateIrp with stack size " + stackSize + ": a request needs a stack location"));
    }
    if (verified != null && io.verifier.injectFault(verified, "IoAllocateIrp",
        ntio.kernel.verifier.Verifier.IRP_TAG)) {
      return null;
    }
    return KernelIrp.allocated(stackSize, systemBuffer);
  }

  /** A null a routine cannot work without is the driver's bug: a 0x1E bug check naming it. */
  private void requireArgument(Object value, String routine, String what) {
    if (value == null) {
      throw io.driverFault(driver, new IllegalArgumentException(routine + " given no " + what));
    }
  }

  /** A negative count from a driver is its bug: a 0x1E bug check naming it. */
  private void requireNotNegative(int value, String routine, String what) {
    if (value < 0) {
      throw io.driverFault(driver, new IllegalArgumentException(routine + " with " + what + " "
          + value));
    }
  }

  @Override
  public void freeIrp(Irp irp) {
    checkLoaded("IoFreeIrp");
    io.requests.freeIrp(irp(irp, "IoFreeIrp"), driver.serviceName());
  }

  @Override
  public NtStatus registerShutdownNotification(DeviceObject device) {
    if (!enter("IoRegisterShutdownNotification")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    io.registerShutdownNotification(device(device, "IoRegisterShutdownNotification"));
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unregisterShutdownNotification(DeviceObject device) {
    checkLoaded("IoUnregisterShutdownNotification");
    io.unregisterShutdownNotification(device(device, "IoUnregisterShutdownNotification"));
  }

  @Override
  public boolean cancelIrp(Irp irp) {
    checkLoaded("IoCancelIrp");
    return io.requests.cancelIrp(irp(irp, "IoCancelIrp"));
  }

  // Driver object extensions ---------------------------------------------------------------------

  @Override
  public NtStatus allocateDriverObjectExtension(DriverObject owner, Object clientId, Supplier<?> extension) {
    if (!enter("IoAllocateDriverObjectExtension")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    KernelDriverObject own = ownDriver(owner, "IoAllocateDriverObjectExtension");
    if (extension == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return own.allocateClientExtension(clientKey(clientId), extension);
  }

  @Override
  public Object getDriverObjectExtension(DriverObject owner, Object clientId) {
    checkLoaded("IoGetDriverObjectExtension");
    return owner instanceof KernelDriverObject d ? d.clientExtension(clientKey(clientId)) : null;
  }

  /**
   * The key a client id is filed under. NT's ClientIdentificationAddress is any address, NULL
   * included (Wine driver.c test_driver_object_extension allocates and finds one with NULL), so a
   * null id is a key of its own.
   */
  private static Object clientKey(Object clientId) {
    return clientId == null ? NULL_CLIENT_ID : clientId;
  }

  /** The key of the client id NULL: an immutable marker no driver can name. */
  private static final Object NULL_CLIENT_ID = new Object();

  // Names -----------------------------------------------------------------------------------------

  @Override
  public NtStatus createSymbolicLink(UnicodeString linkName, UnicodeString target) {
    if (!enter("IoCreateSymbolicLink")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (linkName == null || target == null || !linkName.isReadable() || !target.isReadable()) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    return io.objects.createKernelSymbolicLink(linkName.text(), target.text());
  }

  @Override
  public NtStatus deleteSymbolicLink(UnicodeString linkName) {
    if (!enter("IoDeleteSymbolicLink")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    Referenced<KernelObject> link = io.objects.referenceByName(
        new ObjectAttributes(Handle.NULL, linkName, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_OPENLINK),
        io.objects.symbolicLinkType(), 0, kernelThread(), null);
    if (!link.isSuccess()) {
      return link.status();
    }
    io.objects.makeTemporary(link.object());
    link.object().dereference();
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public ObjectResult referenceObjectByName(UnicodeString name, ObjectKind kind) {
    if (!enter("ObReferenceObjectByName")) {
      return new ObjectResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    ObjectType type = kind == null ? null : typeOf(kind);
    Referenced<KernelObject> found = io.objects.referenceByName(
        new ObjectAttributes(Handle.NULL, name, ObjectAttributes.OBJ_CASE_INSENSITIVE), type, 0, kernelThread(), null);
    return new ObjectResult(found.status(), found.object());
  }

  private ObjectType typeOf(ObjectKind kind) {
    return switch (kind) {
      case DRIVER -> io.driverType;
      case DEVICE -> io.deviceType;
      case FILE -> io.fileType;
      case DIRECTORY -> io.objects.directoryType();
      case SYMBOLIC_LINK -> io.objects.symbolicLinkType();
      case KEY -> io.registry.keyType();
      case EVENT -> {
        Referenced<ObjectType> event = io.objects.referenceByName("\\ObjectTypes\\Event", io.objects.typeType());
        if (!event.isSuccess()) {
          throw new IllegalStateException("no Event type: " + event.status());
        }
        event.object().dereference();
        yield event.object();
      }
    };
  }

  private KernelObject object(Object object, String routine) {
    if (object instanceof KernelObject k) {
      return k;
    }
    throw io.driverFault(driver, new IllegalArgumentException(routine + " given " + object + ", not an object"));
  }

  @Override
  public void referenceObject(Object object) {
    checkLoaded("ObReferenceObject");
    object(object, "ObReferenceObject").reference();
  }

  /**
   * {@inheritDoc}
   *
   * @implNote A driver may drop only references it took: a dereference that would take the
   *     pointer count below the references the object's own holders keep (its handles, its
   *     permanent reference, a device's keep-alive reference) is bug check REFERENCE_BY_POINTER
   *     (0x18) naming this driver, and the count is left as it was — NT checks only for a count
   *     going negative, by which time the victim's next dereference takes the blame.
   */
  @Override
  public void dereferenceObject(Object object) {
    checkLoaded("ObDereferenceObject");
    KernelObject target = object(object, "ObDereferenceObject");
    KernelObject.DriverDereference outcome = target.dereferenceByDriver();
    if (outcome.refused()) {
      throw io.bugChecks.raise(BugCheck.REFERENCE_BY_POINTER,
          System.identityHashCode(target.type()), System.identityHashCode(target),
          outcome.pointerCountBefore(), target.handleCount(), driver.serviceName(),
          driver.describe() + " dereferenced " + target.describe() + " with pointer count "
              + outcome.pointerCountBefore() + ", of which its holders require "
              + target.requiredReferences() + ": a reference it never took");
    }
  }

  // Pool ------------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * @implNote A verified image's call goes through the verifier ({@link
   *     ntio.kernel.verifier.Verifier#allocatePool}): a zero tag, a tag with no letter or digit and
   *     a zero size are bug checks there (DV5), and the low resources simulations may fail the
   *     call with {@code STATUS_INSUFFICIENT_RESOURCES} (DV6, DV7).
   */
  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag) {
    return allocatePoolWithTag(type, size, tag, null);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote With a null site a verified image's tracked allocation records its stack instead.
   */
  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag, String callingSite) {
    if (!enter("ExAllocatePoolWithTag")) {
      return new PoolResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (type == null) {
      return new PoolResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    AllocationResult result = verified != null
        ? io.verifier.allocatePool(verified, type, size, tag, owner, callingSite)
        : io.pool.allocate(type, size, tag, owner);
    return new PoolResult(result.status(), result.allocation());
  }

  /**
   * {@inheritDoc}
   *
   * @implNote A verified image's call goes through the verifier ({@link
   *     ntio.kernel.verifier.Verifier#freePool}): a block no allocation of the image returned is
   *     bug check 0xC4/0x10, a second free 0xC4/0x13 (DV5). Unverified, a second free is the
   *     pool's 0xC2/0x07 and anything but a pool block a driver fault.
   */
  @Override
  public void freePoolWithTag(PoolBlock block, int tag) {
    checkLoaded("ExFreePoolWithTag");
    if (verified != null) {
      io.verifier.freePool(verified, block, tag, owner);
      return;
    }
    if (!(block instanceof PoolAllocation allocation)) {
      throw io.driverFault(driver, new IllegalArgumentException("ExFreePoolWithTag given " + block));
    }
    io.pool.free(allocation, tag);
  }

  // Registry --------------------------------------------------------------------------------------

  private static ObjectAttributes kernelKey(UnicodeString name) {
    return new ObjectAttributes(Handle.NULL, name, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE);
  }

  @Override
  public HandleResult openKey(UnicodeString keyName, int desiredAccess) {
    if (!enter("ZwOpenKey")) {
      return new HandleResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, Handle.NULL);
    }
    OpenResult opened = io.registry.ntOpenKey(kernelThread(), desiredAccess, kernelKey(keyName));
    return new HandleResult(opened.status(), opened.handle());
  }

  @Override
  public HandleResult createKey(UnicodeString keyName, int desiredAccess, int options) {
    if (!enter("ZwCreateKey")) {
      return new HandleResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, Handle.NULL);
    }
    KeyCreateResult created = io.registry.ntCreateKey(kernelThread(), desiredAccess, kernelKey(keyName), options);
    return new HandleResult(created.status(), created.handle());
  }

  @Override
  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    if (!enter("ZwQueryValueKey")) {
      return new ValueResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    ntio.api.ValueResult result = io.registry.ntQueryValueKey(kernelThread(), key, valueName);
    return new KernelServices.ValueResult(result.status(), result.status().isSuccess() ? result.value() : null);
  }

  @Override
  public NtStatus setValueKey(Handle key, RegValue value) {
    if (!enter("ZwSetValueKey")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (value == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return io.registry.ntSetValueKey(kernelThread(), key, UnicodeString.of(value.name()), value.type(), value.data());
  }

  @Override
  public NtStatus close(Handle handle) {
    if (!enter("ZwClose")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.objects.close(handle, kernelThread());
  }

  // Builtin drivers -------------------------------------------------------------------------------

  @Override
  public DriverResult createDriver(UnicodeString driverName, ntio.ddk.DriverEntry initialize) {
    if (!enter("IoCreateDriver")) {
      return new DriverResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (driverName != null && !driverName.isReadable()) {
      return new DriverResult(NtStatus.STATUS_ACCESS_VIOLATION, null);
    }
    return io.createDriver(driverName == null ? null : driverName.text(), initialize);
  }

  @Override
  public void deleteDriver(DriverObject builtin) {
    checkLoaded("IoDeleteDriver");
    if (!(builtin instanceof KernelDriverObject d) || d.image() != null) {
      throw io.driverFault(driver, new IllegalArgumentException("IoDeleteDriver given " + builtin + ", not a builtin driver"));
    }
    io.deleteDriver(d);
  }

  // Loading other drivers -------------------------------------------------------------------------

  @Override
  public NtStatus loadDriver(UnicodeString serviceKey) {
    if (!enter("ZwLoadDriver")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.loading.ntLoadDriver(kernelThread(), serviceKey);
  }

  @Override
  public NtStatus unloadDriver(UnicodeString serviceKey) {
    if (!enter("ZwUnloadDriver")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.loading.ntUnloadDriver(kernelThread(), serviceKey);
  }

  // Work items ------------------------------------------------------------------------------------

  @Override
  public NtStatus queueWorkItem(DeviceObject device, Runnable routine) {
    if (!enter("IoQueueWorkItem")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    KernelDeviceObject target = device(device, "IoQueueWorkItem");
    if (routine == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    target.reference();
    NtStatus queued = io.workQueues.queue(WorkQueueType.DELAYED, () -> {
      try {
        runDriverCallback("the work item", routine);
      } finally {
        target.dereference();
      }
    }, driver.serviceName());
    if (!queued.isSuccess()) {
      target.dereference();
    }
    return queued;
  }

  @Override
  public NtStatus queueExWorkItem(Runnable routine) {
    if (!enter("ExQueueWorkItem")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (routine == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    ImageResources.ExWorkItem item = new ImageResources.ExWorkItem(resources.nextAddress(),
        ImageResources.routineName(routine));
    resources.workItems.add(item);
    NtStatus queued = io.workQueues.queue(WorkQueueType.DELAYED, () -> {
      try {
        runDriverCallback("the work item " + item.routine(), routine);
      } finally {
        resources.workItems.remove(item);
      }
    }, driver.serviceName());
    if (!queued.isSuccess()) {
      resources.workItems.remove(item);
    }
    return queued;
  }

  // Timers and threads ----------------------------------------------------------------------------

  @Override
  public ntio.ddk.KernelTimer initializeTimer(Runnable deferredRoutine) {
    checkLoaded("KeInitializeTimerEx");
    if (deferredRoutine == null) {
      throw io.driverFault(driver, new IllegalArgumentException("KeInitializeDpc given no deferred routine"));
    }
    return new ImageTimer(this, deferredRoutine, resources.nextAddress());
  }

  @Override
  public ThreadResult createSystemThread(Runnable startRoutine) {
    if (!enter("PsCreateSystemThread")) {
      return new ThreadResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (startRoutine == null) {
      return new ThreadResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    String routine = ImageResources.routineName(startRoutine);
    SystemThreadObject[] self = new SystemThreadObject[1];
    CountDownLatch listed = new CountDownLatch(1);
    Thread thread = io.processes.systemThreadFactory("thread of " + driver.serviceName()).newThread(() -> {
      try {
        listed.await();
        runDriverCallback("the System thread running " + routine, startRoutine);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ntio.kernel.executive.BugCheckException halted) {
        // Recorded by the crash handler; the thread just ends.
      } finally {
        resources.threads.remove(self[0]);
      }
    });
    self[0] = new SystemThreadObject(thread, routine, resources.nextAddress());
    resources.threads.add(self[0]);
    thread.start();
    listed.countDown();
    return new ThreadResult(NtStatus.STATUS_SUCCESS, self[0]);
  }

  // Tracing ---------------------------------------------------------------------------------------

  @Override
  public TraceResult registerTraceProvider(java.util.UUID providerId) {
    if (!enter("EtwRegister")) {
      return new TraceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (providerId == null) {
      return new TraceResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    ImageTraceProvider provider = new ImageTraceProvider(this, providerId, resources.nextAddress());
    resources.traceProviders.add(provider);
    return new TraceResult(NtStatus.STATUS_SUCCESS, provider);
  }

  @Override
  public NtStatus unregisterTraceProvider(ntio.ddk.TraceProvider provider) {
    if (!enter("EtwUnregister")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (!(provider instanceof ImageTraceProvider registered) || registered.owner() != this
        || !registered.unregister()) {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    resources.traceProviders.remove(registered);
    return NtStatus.STATUS_SUCCESS;
  }

  // Bug checks and the verifier -------------------------------------------------------------------

  @Override
  public RuntimeException bugCheckEx(int code, long p1, long p2, long p3, long p4, String message) {
    // Once halted this records a secondary bug check, as a second KeBugCheckEx does.
    enter("KeBugCheckEx");
    throw io.bugChecks.raise(code, p1, p2, p3, p4, driver.serviceName(),
        message != null ? message : driver.describe() + " called KeBugCheckEx");
  }

  @Override
  public boolean isDriverVerifying(DriverObject driverObject) {
    checkLoaded("MmIsDriverVerifying");
    return driverObject instanceof KernelDriverObject d && d.services() instanceof ImageServices s
        && s.verified != null;
  }

  @Override
  public void verifierBreak(String check, String message) {
    checkLoaded("DbgBreakPoint");
    io.verifier.recordFinding(driverName(), check == null ? "(unnamed)" : check,
        message == null ? "(no message)" : message);
  }
}
