package ntio.kernel.io;

import java.util.Arrays;
import java.util.function.Supplier;
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
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.objects.KernelObject;
import ntio.api.KeyCreateResult;
import ntio.api.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KThread;

/**
 * An image's import table as the kernel itself resolves it: the {@link KernelServices} routines
 * an unverified driver calls (a verified one reaches them through {@link VerifierThunks}). Because
 * each image has its own, the kernel knows which driver made each call — pool is charged to the
 * image — and a call made after the image was unmapped is caught as the bug check NT gives for
 * code of an unloaded driver running (DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0xCE)
 * instead of silently working.
 *
 * <p>Each routine passes the image's gate ({@link ImageRundown}), checks its arguments ({@link
 * DriverArguments}) and calls the component that does the work; the longer bodies live by concern
 * in {@link ImageCallbacks}, {@link ImageObjectReferences}, {@link DriverShareAccess} and {@link
 * DriverObjectExtensions}.
 *
 * <p>Every call runs in kernel mode in the calling thread's process (a System thread for
 * DriverEntry, DriverUnload and work items): no privilege or access check applies, as for a driver.
 */
class ImageImports extends ImageKernelRoutines {
  private final PoolOwner owner;
  private final ImageRundown gate;
  private final ImageResources resources = new ImageResources();
  private final DriverArguments args;
  private final ImageCallbacks callbacks;
  private final ImageObjectReferences references;
  private final DriverShareAccess shareAccess;

  ImageImports(IoManager io, KernelDriverObject driver) {
    super(io, driver);
    this.owner = driver.image() != null ? driver.image().poolOwner() : PoolOwner.named(driver.serviceName());
    this.gate = new ImageRundown(io, driver);
    this.args = new DriverArguments(io, driver);
    this.callbacks = new ImageCallbacks(this, io, driver);
    this.references = new ImageObjectReferences(io, driver);
    this.shareAccess = new DriverShareAccess(args);
  }

  /** None: a verified image's table is the verifier's {@link VerifierThunks}. */
  @Override
  public ntio.kernel.verifier.VerifiedImage verified() {
    return null;
  }

  @Override
  public void markUnloaded() {
    gate.markUnloaded();
  }

  IoManager io() {
    return io;
  }

  @Override
  public ImageResources resources() {
    return resources;
  }

  @Override
  public String driverName() {
    return driver.image() != null ? driver.image().imageName() : driver.serviceName();
  }

  /** What the image's pool is charged to. */
  PoolOwner poolOwner() {
    return owner;
  }

  /** The argument checks of this driver's calls. */
  DriverArguments arguments() {
    return args;
  }

  /** Runs a routine of the driver the kernel called back, through the {@link ImageRundown}. */
  void runDriverCallback(String what, Runnable routine) {
    gate.runDriverCallback(what, DriverDoor.OTHER, routine);
  }

  /** {@link #runDriverCallback(String, Runnable)} through {@code door} ({@link DoorChecks}). */
  void runDriverCallback(String what, DriverDoor door, Runnable routine) {
    gate.runDriverCallback(what, door, routine);
  }

  @Override
  void checkLoaded(String routine) {
    gate.checkLoaded(routine);
  }

  @Override
  boolean enter(String routine) {
    return gate.enter(routine);
  }

  private KThread kernelThread() {
    return io.processes.currentThread().orElseGet(io.processes::systemThread).asKernel();
  }

  // Devices ---------------------------------------------------------------------------------------

  @Override
  public DeviceResult createDevice(DriverObject owner, Object extension, UnicodeString name, int deviceType,
      int characteristics, boolean exclusive) {
    if (!enterAtPassive("IoCreateDevice")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    return io.devices.create(args.ownDriver(owner, "IoCreateDevice"), extension, name, deviceType,
        characteristics, exclusive);
  }

  @Override
  public void deleteDevice(DeviceObject device) {
    checkLoadedAtPassive("IoDeleteDevice");
    io.devices.delete(args.device(device, "IoDeleteDevice"));
  }

  @Override
  public DeviceResult attachDeviceToDeviceStack(DeviceObject source, DeviceObject target) {
    if (!enter("IoAttachDeviceToDeviceStackSafe")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    return io.devices.attach(args.device(source, "IoAttachDeviceToDeviceStackSafe"),
        args.device(target, "IoAttachDeviceToDeviceStackSafe"));
  }

  @Override
  public DeviceResult attachDevice(DeviceObject source, UnicodeString targetName) {
    if (!enterAtPassive("IoAttachDevice")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    KernelDeviceObject attaching = args.device(source, "IoAttachDevice");
    // B31: the target opened for attributes; the handle is closed (the target sees its cleanup)
    // before anything is stacked on it, and the file object goes once attached.
    Referenced<KernelFileObject> file = references.referenceDeviceFile(targetName,
        AccessMask.FILE_READ_ATTRIBUTES, true, kernelThread());
    if (!file.isSuccess()) {
      return new DeviceResult(file.status(), null);
    }
    try {
      return io.devices.attach(attaching, file.object().device());
    } finally {
      file.object().dereference();
    }
  }

  @Override
  public void detachDevice(DeviceObject target) {
    checkLoaded("IoDetachDevice");
    io.devices.detach(args.device(target, "IoDetachDevice"));
  }

  @Override
  public DeviceObject getLowerDeviceObject(DeviceObject device) {
    checkLoaded("IoGetLowerDeviceObject");
    return io.devices.lower(args.device(device, "IoGetLowerDeviceObject"));
  }

  @Override
  public DeviceObject getRelatedDeviceObject(ntio.ddk.FileObject file) {
    checkLoaded("IoGetRelatedDeviceObject");
    if (!(file instanceof KernelFileObject opened)) {
      throw args.fault("IoGetRelatedDeviceObject given " + file);
    }
    return io.devices.related(opened);
  }

  @Override
  public DeviceObject getAttachedDeviceReference(DeviceObject device) {
    checkLoaded("IoGetAttachedDeviceReference");
    return io.devices.attachedReference(args.device(device, "IoGetAttachedDeviceReference"));
  }

  @Override
  public DeviceObject getDeviceAttachmentBaseRef(DeviceObject device) {
    checkLoaded("IoGetDeviceAttachmentBaseRef");
    return io.devices.baseReference(args.device(device, "IoGetDeviceAttachmentBaseRef"));
  }

  @Override
  public DeviceList enumerateDeviceObjectList(DriverObject owner, int capacity) {
    if (!enter("IoEnumerateDeviceObjectList")) {
      return new DeviceList(NtStatus.STATUS_SYSTEM_SHUTDOWN, java.util.List.of(), 0);
    }
    return io.devices.enumerate(args.anyDriver(owner, "IoEnumerateDeviceObjectList"), capacity);
  }

  @Override
  public void registerFileSystem(DeviceObject device) {
    checkLoaded("IoRegisterFileSystem");
    io.unloadPolicy.registerFileSystem(args.device(device, "IoRegisterFileSystem"));
  }

  @Override
  public void unregisterFileSystem(DeviceObject device) {
    checkLoaded("IoUnregisterFileSystem");
    io.unloadPolicy.unregisterFileSystem(args.device(device, "IoUnregisterFileSystem"));
  }

  // Requests --------------------------------------------------------------------------------------

  @Override
  public void completeRequest(Irp irp, int priorityBoost) {
    checkLoaded("IoCompleteRequest");
    io.requests.completeRequest(args.irp(irp, "IoCompleteRequest"));
  }

  @Override
  public NtStatus callDriver(DeviceObject device, Irp irp) {
    if (!enter("IoCallDriver")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.requests.callDriver(args.device(device, "IoCallDriver"), args.irp(irp, "IoCallDriver"));
  }

  @Override
  public NtStatus checkShareAccess(int desiredAccess, int desiredShareAccess, FileObject file,
      ShareAccess share, boolean update) {
    if (!enter("IoCheckShareAccess")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    KernelFileObject open = args.file(file, "IoCheckShareAccess");
    args.require(share, "IoCheckShareAccess", "share access");
    return shareAccess.check(desiredAccess, desiredShareAccess, open, share, update);
  }

  @Override
  public void removeShareAccess(FileObject file, ShareAccess share) {
    checkLoaded("IoRemoveShareAccess");
    KernelFileObject open = args.file(file, "IoRemoveShareAccess");
    args.require(share, "IoRemoveShareAccess", "share access");
    shareAccess.remove(open, share);
  }

  @Override
  public DeviceObjectPointer getDeviceObjectPointer(UnicodeString name, int desiredAccess) {
    if (!enterAtPassive("IoGetDeviceObjectPointer")) {
      return new DeviceObjectPointer(NtStatus.STATUS_SYSTEM_SHUTDOWN, null, null);
    }
    // The handle goes at once (IRP_MJ_CLEANUP); the reference keeps the open until released.
    Referenced<KernelFileObject> file = references.referenceDeviceFile(name, desiredAccess, false,
        kernelThread());
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
    KernelDeviceObject target = args.device(device, "IoBuildDeviceIoControlRequest");
    args.requireNotNegative(outputLength, "IoBuildDeviceIoControlRequest", "output length");
    byte[] in = input == null ? new byte[0] : input.clone();
    return io.requests.buildControl(target, internal ? MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL
        : MajorFunctions.IRP_MJ_DEVICE_CONTROL, in, ioControlCode, outputLength);
  }

  @Override
  public ntio.ddk.BuiltRequest buildSynchronousFsdRequest(int majorFunction, DeviceObject device,
      byte[] buffer, int length, long byteOffset) {
    checkLoaded("IoBuildSynchronousFsdRequest");
    KernelDeviceObject target = args.device(device, "IoBuildSynchronousFsdRequest");
    args.requireNotNegative(length, "IoBuildSynchronousFsdRequest", "length");
    byte[] data = switch (majorFunction) {
      case MajorFunctions.IRP_MJ_READ -> null;
      case MajorFunctions.IRP_MJ_WRITE -> Arrays.copyOf(buffer == null ? new byte[0] : buffer, length);
      case MajorFunctions.IRP_MJ_FLUSH_BUFFERS, MajorFunctions.IRP_MJ_SHUTDOWN -> null;
      default -> throw args.fault("IoBuildSynchronousFsdRequest for " + MajorFunctions.name(majorFunction));
    };
    return io.requests.buildTransfer(target, majorFunction, data, length, byteOffset);
  }

  @Override
  public Irp allocateIrp(int stackSize, byte[] systemBuffer) {
    if (!enter("IoAllocateIrp")) {
      return null;
    }
    args.requireStackLocation(stackSize);
    return KernelIrp.allocated(stackSize, systemBuffer);
  }

  @Override
  public void freeIrp(Irp irp) {
    checkLoaded("IoFreeIrp");
    io.requests.freeIrp(args.irp(irp, "IoFreeIrp"), driver.serviceName());
  }

  @Override
  public NtStatus registerShutdownNotification(DeviceObject device) {
    if (!enterAtPassive("IoRegisterShutdownNotification")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    io.shutdown.register(args.device(device, "IoRegisterShutdownNotification"));
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unregisterShutdownNotification(DeviceObject device) {
    checkLoaded("IoUnregisterShutdownNotification");
    io.shutdown.unregister(args.device(device, "IoUnregisterShutdownNotification"));
  }

  @Override
  public void invalidateDeviceRelations(DeviceObject device, int type) {
    checkLoaded("IoInvalidateDeviceRelations");
    io.pnp.invalidateDeviceRelations(args.device(device, "IoInvalidateDeviceRelations"), type);
  }

  @Override
  public boolean cancelIrp(Irp irp) {
    checkLoaded("IoCancelIrp");
    return io.requests.cancelIrp(args.irp(irp, "IoCancelIrp"), keCaller());
  }

  // Driver object extensions ---------------------------------------------------------------------

  @Override
  public NtStatus allocateDriverObjectExtension(DriverObject owner, Object clientId, Supplier<?> extension) {
    if (!enter("IoAllocateDriverObjectExtension")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    KernelDriverObject own = args.ownDriver(owner, "IoAllocateDriverObjectExtension");
    if (extension == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return DriverObjectExtensions.allocate(own, clientId, extension);
  }

  @Override
  public Object getDriverObjectExtension(DriverObject owner, Object clientId) {
    checkLoaded("IoGetDriverObjectExtension");
    return DriverObjectExtensions.get(owner, clientId);
  }

  // Names -----------------------------------------------------------------------------------------

  @Override
  public NtStatus createSymbolicLink(UnicodeString linkName, UnicodeString target) {
    if (!enterAtPassive("IoCreateSymbolicLink")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (linkName == null || target == null || !linkName.isReadable() || !target.isReadable()) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    return io.objects.createKernelSymbolicLink(linkName.text(), target.text());
  }

  @Override
  public NtStatus deleteSymbolicLink(UnicodeString linkName) {
    if (!enterAtPassive("IoDeleteSymbolicLink")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return references.makeLinkTemporary(linkName, kernelThread());
  }

  @Override
  public ObjectResult referenceObjectByName(UnicodeString name, ObjectKind kind) {
    if (!enterAtPassive("ObReferenceObjectByName")) {
      return new ObjectResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    Referenced<KernelObject> found = references.referenceByName(name, kind, kernelThread());
    return new ObjectResult(found.status(), found.object());
  }

  @Override
  public void referenceObject(Object object) {
    checkLoaded("ObReferenceObject");
    args.object(object, "ObReferenceObject").reference();
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
    references.dereference(args.object(object, "ObDereferenceObject"));
  }

  // Pool ------------------------------------------------------------------------------------------

  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag) {
    return allocatePoolWithTag(type, size, tag, null);
  }

  /** {@inheritDoc} The site matters only to the verifier's pool tracking: here it is ignored. */
  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag, String callingSite) {
    if (!enter("ExAllocatePoolWithTag")) {
      return new PoolResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (type == null) {
      return new PoolResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    irqlRules.checkAllocate(type, size);
    AllocationResult result = allocate(type, size, tag, callingSite);
    return new PoolResult(result.status(), result.allocation());
  }

  /**
   * The allocation behind {@code ExAllocatePoolWithTag}, once its gate and argument checks passed:
   * the kernel's pool, charged to the image. {@link VerifierThunks} overrides it to go through the
   * verifier.
   */
  AllocationResult allocate(PoolType type, long size, int tag, String callingSite) {
    return io.pool.allocate(type, size, tag, owner);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote A second free is the pool's 0xC2/0x07, and anything but a pool block a driver
   *     fault; a verified image's free is checked by the verifier first ({@link VerifierThunks}).
   */
  @Override
  public void freePoolWithTag(PoolBlock block, int tag) {
    checkLoaded("ExFreePoolWithTag");
    if (!(block instanceof PoolAllocation allocation)) {
      throw args.fault("ExFreePoolWithTag given " + block);
    }
    irqlRules.checkFree(allocation);
    io.pool.free(allocation, tag);
  }

  // Registry --------------------------------------------------------------------------------------

  private static ObjectAttributes kernelKey(UnicodeString name) {
    return new ObjectAttributes(Handle.NULL, name, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE);
  }

  @Override
  public HandleResult openKey(UnicodeString keyName, int desiredAccess) {
    if (!enterAtPassive("ZwOpenKey")) {
      return new HandleResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, Handle.NULL);
    }
    OpenResult opened = io.registry.ntOpenKey(kernelThread(), desiredAccess, kernelKey(keyName));
    return new HandleResult(opened.status(), opened.handle());
  }

  @Override
  public HandleResult createKey(UnicodeString keyName, int desiredAccess, int options) {
    if (!enterAtPassive("ZwCreateKey")) {
      return new HandleResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, Handle.NULL);
    }
    KeyCreateResult created = io.registry.ntCreateKey(kernelThread(), desiredAccess, kernelKey(keyName), options);
    return new HandleResult(created.status(), created.handle());
  }

  @Override
  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    if (!enterAtPassive("ZwQueryValueKey")) {
      return new ValueResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    ntio.api.ValueResult result = io.registry.ntQueryValueKey(kernelThread(), key, valueName);
    return new KernelServices.ValueResult(result.status(), result.status().isSuccess() ? result.value() : null);
  }

  @Override
  public NtStatus setValueKey(Handle key, RegValue value) {
    if (!enterAtPassive("ZwSetValueKey")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (value == null) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return io.registry.ntSetValueKey(kernelThread(), key, UnicodeString.of(value.name()), value.type(), value.data());
  }

  @Override
  public NtStatus close(Handle handle) {
    if (!enterAtPassive("ZwClose")) {
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
      throw args.fault("IoDeleteDriver given " + builtin + ", not a builtin driver");
    }
    io.deleteDriver(d);
  }

  // Loading other drivers -------------------------------------------------------------------------

  @Override
  public NtStatus loadDriver(UnicodeString serviceKey) {
    if (!enterAtPassive("ZwLoadDriver")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.loading.ntLoadDriver(kernelThread(), serviceKey);
  }

  @Override
  public NtStatus unloadDriver(UnicodeString serviceKey) {
    if (!enterAtPassive("ZwUnloadDriver")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return io.loading.ntUnloadDriver(kernelThread(), serviceKey);
  }

  // Code the kernel runs later: work items, timers, threads, trace providers ---------------------

  @Override
  public NtStatus queueWorkItem(DeviceObject device, Runnable routine) {
    if (!enter("IoQueueWorkItem")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    KernelDeviceObject target = args.device(device, "IoQueueWorkItem");
    return routine == null ? NtStatus.STATUS_INVALID_PARAMETER : callbacks.queueWorkItem(target, routine);
  }

  @Override
  public NtStatus queueExWorkItem(Runnable routine) {
    if (!enter("ExQueueWorkItem")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return routine == null ? NtStatus.STATUS_INVALID_PARAMETER : callbacks.queueExWorkItem(routine);
  }

  @Override
  public ntio.ddk.KernelTimer initializeTimer(Runnable deferredRoutine) {
    checkLoaded("KeInitializeTimerEx");
    args.require(deferredRoutine, "KeInitializeDpc", "deferred routine");
    return new ImageTimer(this, deferredRoutine, resources.nextAddress());
  }

  @Override
  public ThreadResult createSystemThread(Runnable startRoutine) {
    if (!enterAtPassive("PsCreateSystemThread")) {
      return new ThreadResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    return startRoutine == null ? new ThreadResult(NtStatus.STATUS_INVALID_PARAMETER, null)
        : callbacks.createSystemThread(startRoutine);
  }

  @Override
  public TraceResult registerTraceProvider(java.util.UUID providerId) {
    if (!enterAtPassive("EtwRegister")) {
      return new TraceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    return providerId == null ? new TraceResult(NtStatus.STATUS_INVALID_PARAMETER, null)
        : callbacks.registerTraceProvider(providerId);
  }

  @Override
  public NtStatus unregisterTraceProvider(ntio.ddk.TraceProvider provider) {
    if (!enterAtPassive("EtwUnregister")) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    return callbacks.unregisterTraceProvider(provider);
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
        && s.verified() != null;
  }

  @Override
  public void verifierBreak(String check, String message) {
    checkLoaded("DbgBreakPoint");
    io.verifier.recordFinding(driverName(), check == null ? "(unnamed)" : check,
        message == null ? "(no message)" : message);
  }
}
