package ntio.framework;

import java.time.Duration;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;
import ntio.framework.FxValidation.ParentRule;

/**
 * The framework as one bound driver sees it: its DDIs. Models the KMDF function table a driver
 * reaches through its {@code WdfDriverGlobals} (the {@code Wdf…} functions), one instance per
 * bound driver. Each method is named after its DDI without the {@code Wdf} prefix ({@code
 * WdfObjectDelete} → {@link #objectDelete}) and says in its Javadoc whether it models it in full
 * or in part.
 *
 * <p>Like the C DDIs, creating calls return a status (with the handle, as a {@link WdfResult}),
 * and misuse that KMDF treats as fatal is a bug check through the driver's services: {@code
 * WDF_VIOLATION} (0x10D) with KMDF's parameters. Misuse KMDF only reports is a verifier finding
 * ({@link ntio.ddk.KernelServices#verifierBreak}), and the call does nothing. A Java exception
 * from a DDI is a bug in ntio.
 *
 * <p>Thread-safe. A DDI called above its maximum IRQL fails with the framework verifier on
 * (V-KMDF-10, {@link FxIrql}); see {@link WdfObjectAttributes} for execution levels and O10.
 */
public final class Wdf {

  private final FxGlobals globals;
  private final WdfPnp pnp;
  private final WdfLocks locks;

  Wdf(FxGlobals globals) {
    this.globals = globals;
    this.pnp = new WdfPnp(globals);
    this.locks = new WdfLocks(globals);
  }

  /** The PnP DDIs ({@code wdffdo.h}, the PnP part of {@code wdfdevice.h}). */
  public WdfPnp pnp() {
    return pnp;
  }

  /** The lock DDIs ({@code wdfsync.h}). */
  public WdfLocks locks() {
    return locks;
  }

  // Diagnostics -------------------------------------------------------------------------------

  /** The verifier settings read when the driver bound. */
  public WdfVerifierSettings verifierSettings() {
    return globals.settings;
  }

  /** The pool tag of the driver's framework allocations: {@code FxDr} until WdfDriverCreate (L11). */
  public int poolTag() {
    return globals.tag();
  }

  /** Whether the driver is still bound: false once the framework's teardown ({@code FxDestroy}) ran. */
  public boolean isBound() {
    return globals.phase() == FxGlobals.Phase.BOUND;
  }

  /** Framework allocations live now (the framework pool tracker's count). */
  public int liveAllocations() {
    return globals.pool.liveCount();
  }

  // Driver --------------------------------------------------------------------------------------

  /**
   * Creates the WDFDRIVER. Models {@code WdfDriverCreate} (L8–L11; full but for the tracing
   * settings). A PnP driver with EvtDriverDeviceAdd gets the framework's AddDevice ({@link
   * FxDriverAddDevice}).
   *
   * <p>It may be called once per driver and must come before any other creation, so that what
   * DriverEntry allocates is parented to the driver and deleted with it (O2, L8). It installs the
   * framework's dispatch routines (unless {@link WdfDriverConfig#INIT_NO_DISPATCH_OVERRIDE}) and,
   * for a PnP driver or a non-PnP driver with EvtDriverUnload, the framework's unload routine.
   *
   * @param registryPath DriverEntry's RegistryPath; null only for a builtin driver
   * @return {@code STATUS_DRIVER_INTERNAL_ERROR} for a second call; {@code
   *     STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED} for a parent in the attributes; {@code
   *     STATUS_INFO_LENGTH_MISMATCH} for a wrong config size; {@code STATUS_INVALID_PARAMETER} for
   *     unknown init flags or a non-PnP driver with a device-add callback; an attribute error
   *     (O5); {@code STATUS_INSUFFICIENT_RESOURCES}. On failure no callback of the driver runs (L9).
   */
  public WdfResult<WdfDriver> driverCreate(DriverObject driverObject, UnicodeString registryPath,
      WdfObjectAttributes attributes, WdfDriverConfig config) {
    if (driverObject == null || config == null || (registryPath == null && !globals.isBuiltinDriver())) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0,
          "WdfDriverCreate: a required parameter is NULL (DriverObject, RegistryPath or DriverConfig)");
    }
    if (driverObject != globals.driverObject) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    if (globals.driver() != null) {
      return WdfResult.failed(NtStatus.STATUS_DRIVER_INTERNAL_ERROR);
    }
    if (attributes != null && attributes.parentObject() != null) {
      return WdfResult.failed(NtStatus.STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    }
    if (config.size() != WdfDriverConfig.SIZE) {
      return WdfResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    boolean nonPnp = (config.driverInitFlags() & WdfDriverConfig.INIT_NON_PNP_DRIVER) != 0;
    if (!WdfDriverConfig.flagsKnown(config.driverInitFlags()) || (nonPnp && config.deviceAdd() != null)) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    NtStatus valid = validateAttributes(attributes, WdfHandleType.WDFDRIVER, ParentRule.NOT_ALLOWED);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    int tag = FxGlobals.deriveTag(config.driverPoolTag(), registryPath);
    // The WDFDRIVER's own allocation is not counted toward VerifierAllocateFailCount.
    FxPool.Allocation allocation = globals.pool.allocate(PoolType.NON_PAGED, FxGlobals.OBJECT_HEADER_SIZE,
        tag, "WDFDRIVER " + driverObject.driverName(), false);
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    WdfDriver driver = new WdfDriver(globals, allocation, attributes, config);
    driver.markNoDeleteDdi();
    driver.commit(null);
    boolean noDispatchOverride = (config.driverInitFlags() & WdfDriverConfig.INIT_NO_DISPATCH_OVERRIDE) != 0;
    boolean displace = (!nonPnp && !noDispatchOverride) || config.driverUnload() != null;
    globals.setDriver(driver, tag, displace);
    if (displace) {
      driverObject.setDriverUnload(driver::unload);
    }
    if (!nonPnp && config.deviceAdd() != null) {
      driverObject.driverExtension().setAddDevice(new FxDriverAddDevice(globals, config.deviceAdd()));
    }
    if (driver.dispatchOverride()) {
      DispatchRoutine dispatch = this::dispatch;
      for (int function = 0; function <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; function++) {
        driverObject.setMajorFunction(function, dispatch);
      }
    }
    return WdfResult.created(driver);
  }

  /** The framework's dispatch routine for every major function of a driver it dispatches for. */
  private NtStatus dispatch(DeviceObject device, Irp irp) {
    if (device.deviceExtension() instanceof WdfDevice wdfDevice && wdfDevice.globals == globals) {
      return wdfDevice.dispatch(irp);
    }
    irp.ioStatus().setStatus(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    irp.ioStatus().setInformation(0);
    globals.services.completeRequest(irp, 0);
    return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
  }

  /**
   * The WDFDRIVER, or null before WdfDriverCreate (a call then is reported, V-KMDF-DRIVERCREATE).
   * Models {@code WdfGetDriver} (full).
   */
  public WdfDriver getDriver() {
    globals.checkDriverCreated("WdfGetDriver");
    return globals.driver();
  }

  // Generic objects -------------------------------------------------------------------------------

  /**
   * Creates a generic object. Models {@code WdfObjectCreate} (full): its parent is the one named,
   * else the WDFDRIVER, else — before WdfDriverCreate — none (O2).
   */
  public WdfResult<WdfObject> objectCreate(WdfObjectAttributes attributes) {
    NtStatus valid = validateAttributes(attributes, WdfHandleType.WDFOBJECT, ParentRule.DEFAULT_DRIVER);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFOBJECT");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    return commit(new WdfObject(globals, WdfHandleType.WDFOBJECT, allocation, attributes),
        parentFor(attributes), false);
  }

  /**
   * Deletes an object and its subtree: cleanups leaves first, then destroys as references reach
   * zero (O8, O9). Models {@code WdfObjectDelete} (full): on an object the driver may not delete it
   * reports V-KMDF-05 and does nothing (O14); a second call on a live object reports V-KMDF-16
   * (O15); on a destroyed handle it bug-checks 0x10D/0x5.
   */
  public void objectDelete(WdfObject object) {
    WdfObject live = valid(object, WdfHandleType.WDFOBJECT, "WdfObjectDelete");
    if (FxIrql.allows(globals, "WdfObjectDelete")) {
      live.delete(true);
    }
  }

  /** Adds a reference. Models {@code WdfObjectReference} (full). */
  public void objectReference(WdfObject object) {
    objectReferenceWithTag(object, null);
  }

  /** Adds a reference under {@code tag}. Models {@code WdfObjectReferenceWithTag} (full, O17, O18). */
  public void objectReferenceWithTag(WdfObject object, Object tag) {
    valid(object, WdfHandleType.WDFOBJECT, "WdfObjectReference").reference(tag, site(object));
  }

  /**
   * Drops a reference. Models {@code WdfObjectDereference} (full): at zero on an object never
   * deleted, its cleanup and destroy run and, if it is still in a tree, the kernel stops with
   * 0x10D/0x7 whatever the verifier setting (O13, V-KMDF-01).
   */
  public void objectDereference(WdfObject object) {
    objectDereferenceWithTag(object, null);
  }

  /** Drops a reference taken under {@code tag}. Models {@code WdfObjectDereferenceWithTag} (full). */
  public void objectDereferenceWithTag(WdfObject object, Object tag) {
    valid(object, WdfHandleType.WDFOBJECT, "WdfObjectDereference").release(tag, site(object));
  }

  /**
   * Adds a context of another type to an object. Models {@code WdfObjectAllocateContext} (O19):
   *
   * @return the new zero-filled context; the existing one with {@code STATUS_OBJECT_NAME_EXISTS}
   *     (a success); {@code STATUS_OBJECT_NAME_INVALID} without a context type; {@code
   *     STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED} with a parent; {@code STATUS_DELETE_PENDING}
   *     once deletion started; {@code STATUS_INSUFFICIENT_RESOURCES}
   */
  public WdfResult<Object> objectAllocateContext(WdfObject object, WdfObjectAttributes attributes) {
    valid(object, WdfHandleType.WDFOBJECT, "WdfObjectAllocateContext");
    if (attributes == null || attributes.contextType() == null) {
      return WdfResult.failed(NtStatus.STATUS_OBJECT_NAME_INVALID);
    }
    if (attributes.parentObject() != null) {
      return WdfResult.failed(NtStatus.STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    }
    if (attributes.size() != WdfObjectAttributes.SIZE) {
      return WdfResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    if (!attributes.contextType().hasName()) {
      return WdfResult.failed(NtStatus.STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    }
    FxContextChain.ContextResult result = object.contexts.allocate(object, attributes);
    return new WdfResult<>(result.status(), result.context());
  }

  /**
   * The object's context of {@code type}, or null when it has none (not an error). Models {@code
   * WdfObjectGetTypedContext} (full); usable from a destroy callback.
   */
  public <T> T objectGetTypedContext(WdfObject object, ContextType<T> type) {
    if (object == null) {
      throw globals.bugCheck(FxGlobals.WDF_INVALID_HANDLE, 0, WdfHandleType.WDFOBJECT.ordinal(),
          "WdfObjectGetTypedContext: NULL handle");
    }
    return object.context(type);
  }

  // Memory ------------------------------------------------------------------------------------------

  /**
   * Creates a buffer with a lifetime. Models {@code WdfMemoryCreate} (S8; full but for the IRQL
   * check): the buffer is kernel pool of {@code poolType}, tagged {@code poolTag} or, when it is 0,
   * with the driver's tag (L11); the parent defaults to the WDFDRIVER (O3).
   *
   * @return {@code STATUS_INVALID_PARAMETER} for size 0; {@code STATUS_INSUFFICIENT_RESOURCES}
   *     when the pool (or a verifier's fault injection) refused it
   */
  public WdfResult<WdfMemory> memoryCreate(WdfObjectAttributes attributes, PoolType poolType, int poolTag,
      long bufferSize) {
    if (poolType == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, "WdfMemoryCreate: PoolType is NULL");
    }
    if (bufferSize <= 0) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    NtStatus valid = validateAttributes(attributes, WdfHandleType.WDFMEMORY, ParentRule.DEFAULT_DRIVER);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    int tag = poolTag == 0 ? globals.tag() : poolTag;
    FxPool.Allocation allocation = globals.pool.allocate(poolType, bufferSize, tag,
        "WDFMEMORY buffer of " + bufferSize + " bytes tagged " + PoolTag.toString(tag), true);
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    return commit(new WdfMemory(globals, allocation, attributes), parentFor(attributes), false);
  }

  /** The memory's buffer. Models {@code WdfMemoryGetBuffer} (full). */
  public PoolBlock memoryGetBuffer(WdfMemory memory) {
    return ((WdfMemory) valid(memory, WdfHandleType.WDFMEMORY, "WdfMemoryGetBuffer")).buffer();
  }

  // Timers ----------------------------------------------------------------------------------------

  /**
   * Creates a timer. Models {@code WdfTimerCreate} (S17, D9); see {@link FxTimerWorkItemCreate}.
   *
   * @return {@code STATUS_WDF_PARENT_NOT_SPECIFIED} without attributes or parent; {@code
   *     STATUS_INVALID_DEVICE_REQUEST} when no WDFDEVICE is above the parent (O3, T17); {@code
   *     STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL} when automatic serialization cannot be honoured
   */
  public WdfResult<WdfTimer> timerCreate(WdfTimerConfig config, WdfObjectAttributes attributes) {
    return FxTimerWorkItemCreate.timer(globals, config, attributes);
  }

  /**
   * Starts (or restarts) a timer, relative to now. Models {@code WdfTimerStart} (partial: relative
   * due times).
   *
   * @return whether the timer was already in the timer queue
   */
  public boolean timerStart(WdfTimer timer, Duration dueTime) {
    WdfTimer live = (WdfTimer) valid(timer, WdfHandleType.WDFTIMER, "WdfTimerStart");
    return FxIrql.allows(globals, "WdfTimerStart") && live.start(dueTime);
  }

  /**
   * Stops a timer; with {@code wait}, waits for a running callback. Models {@code WdfTimerStop}
   * (full; waiting from the timer's own callback is reported, V-KMDF-15, and does not wait).
   *
   * @return whether the timer was in the timer queue
   */
  public boolean timerStop(WdfTimer timer, boolean wait) {
    return ((WdfTimer) valid(timer, WdfHandleType.WDFTIMER, "WdfTimerStop")).stop(wait);
  }

  /** The timer's parent. Models {@code WdfTimerGetParentObject} (full). */
  public WdfObject timerGetParentObject(WdfTimer timer) {
    return valid(timer, WdfHandleType.WDFTIMER, "WdfTimerGetParentObject").parent();
  }

  // Work items --------------------------------------------------------------------------------------

  /**
   * Creates a work item. Models {@code WdfWorkItemCreate} (S17). Its parent rules and results are
   * the timer's.
   */
  public WdfResult<WdfWorkItem> workItemCreate(WdfWorkItemConfig config, WdfObjectAttributes attributes) {
    return FxTimerWorkItemCreate.workItem(globals, config, attributes);
  }

  /**
   * Queues the work item to a System worker, unless it is already queued. Models {@code
   * WdfWorkItemEnqueue} (full).
   */
  public void workItemEnqueue(WdfWorkItem workItem) {
    WdfWorkItem live = (WdfWorkItem) valid(workItem, WdfHandleType.WDFWORKITEM, "WdfWorkItemEnqueue");
    if (FxIrql.allows(globals, "WdfWorkItemEnqueue")) {
      live.enqueue();
    }
  }

  /**
   * Waits until the work item is neither queued nor running. Models {@code WdfWorkItemFlush}
   * (full; from its own callback it is reported, V-KMDF-15, and does not wait).
   */
  public void workItemFlush(WdfWorkItem workItem) {
    WdfWorkItem live = (WdfWorkItem) valid(workItem, WdfHandleType.WDFWORKITEM, "WdfWorkItemFlush");
    if (FxIrql.allows(globals, "WdfWorkItemFlush")) {
      live.flush("WdfWorkItemFlush");
    }
  }

  /** The work item's parent. Models {@code WdfWorkItemGetParentObject} (full). */
  public WdfObject workItemGetParentObject(WdfWorkItem workItem) {
    return valid(workItem, WdfHandleType.WDFWORKITEM, "WdfWorkItemGetParentObject").parent();
  }

  // Devices -------------------------------------------------------------------------------------------

  /**
   * Allocates the init structure of a control device. Models {@code WdfControlDeviceInitAllocate}
   * (partial: the SDDL string is kept, not applied).
   *
   * @return the init, or null when its allocation failed (the driver then fails with {@code
   *     STATUS_INSUFFICIENT_RESOURCES}, as a C driver does)
   */
  public WdfDeviceInit controlDeviceInitAllocate(WdfDriver driver, String sddl) {
    valid(driver, WdfHandleType.WDFDRIVER, "WdfControlDeviceInitAllocate");
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFDEVICE_INIT");
    return allocation == null ? null : new WdfDeviceInit(globals, allocation, (WdfDriver) driver, sddl);
  }

  /**
   * Names the device. Models {@code WdfDeviceInitAssignName} (full).
   *
   * @return {@code STATUS_OBJECT_NAME_INVALID} for a name that is not an absolute NT path
   */
  public NtStatus deviceInitAssignName(WdfDeviceInit init, String deviceName) {
    liveInit(init, "WdfDeviceInitAssignName");
    if (deviceName != null && !deviceName.startsWith("\\")) {
      return NtStatus.STATUS_OBJECT_NAME_INVALID;
    }
    init.setName(deviceName);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Sets the device type. Models {@code WdfDeviceInitSetDeviceType} (full). */
  public void deviceInitSetDeviceType(WdfDeviceInit init, int deviceType) {
    liveInit(init, "WdfDeviceInitSetDeviceType").setDeviceType(deviceType);
  }

  /** Sets device characteristics. Models {@code WdfDeviceInitSetCharacteristics} (full, replacing them). */
  public void deviceInitSetCharacteristics(WdfDeviceInit init, int characteristics) {
    liveInit(init, "WdfDeviceInitSetCharacteristics").setCharacteristics(characteristics);
  }

  /** Makes the device exclusive. Models {@code WdfDeviceInitSetExclusive} (full). */
  public void deviceInitSetExclusive(WdfDeviceInit init, boolean exclusive) {
    liveInit(init, "WdfDeviceInitSetExclusive").setExclusive(exclusive);
  }

  /** Frees an init that no device consumed. Models {@code WdfDeviceInitFree} (full; AddDevice's own init is not freed). */
  public void deviceInitFree(WdfDeviceInit init) {
    liveInit(init, "WdfDeviceInitFree");
    if (!init.onStack() && init.retire()) {
      globals.pool.free(init.allocation);
    }
  }

  private WdfDeviceInit liveInit(WdfDeviceInit init, String ddi) {
    return FxControlDeviceCreate.liveInit(globals, init, ddi);
  }

  /**
   * Creates a device from {@code init}, which it consumes on success. Models {@code
   * WdfDeviceCreate} (partial; O3: the parent is always the WDFDRIVER). For a control device, the
   * device object is created named as the init says, buffered, still initializing: call {@link
   * #controlFinishInitializing} when it is ready (DriverEntry's return also clears it). For the
   * init EvtDriverDeviceAdd was given, an FDO or filter attached to the PDO's stack ({@link
   * FxPnpDeviceCreate}).
   *
   * @return {@code STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED} for a parent in the attributes; the
   *     device object's creation status, such as {@code STATUS_OBJECT_NAME_COLLISION}
   */
  public WdfResult<WdfDevice> deviceCreate(WdfDeviceInit init, WdfObjectAttributes attributes) {
    return FxControlDeviceCreate.create(globals, init, attributes);
  }

  /**
   * Creates a symbolic link to the device, deleted with it. Models {@code
   * WdfDeviceCreateSymbolicLink} (full).
   */
  public NtStatus deviceCreateSymbolicLink(WdfDevice device, String linkName) {
    WdfDevice live = (WdfDevice) valid(device, WdfHandleType.WDFDEVICE, "WdfDeviceCreateSymbolicLink");
    if (linkName == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0,
          "WdfDeviceCreateSymbolicLink: SymbolicLinkName is NULL");
    }
    return live.createSymbolicLink(linkName);
  }

  /**
   * Lets clients open the control device. Models {@code WdfControlFinishInitializing} (full:
   * clears {@code DO_DEVICE_INITIALIZING}).
   */
  public void controlFinishInitializing(WdfDevice device) {
    valid(device, WdfHandleType.WDFDEVICE, "WdfControlFinishInitializing");
    device.wdmDevice().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
  }

  /** The device's default queue, or null. Models {@code WdfDeviceGetDefaultQueue} (full). */
  public WdfIoQueue deviceGetDefaultQueue(WdfDevice device) {
    return ((WdfDevice) valid(device, WdfHandleType.WDFDEVICE, "WdfDeviceGetDefaultQueue")).defaultQueue();
  }

  // Queues and requests -----------------------------------------------------------------------------

  /**
   * Creates an I/O queue of {@code device}. Models {@code WdfIoQueueCreate} (partial: see {@link
   * WdfIoQueue}). Its parent is the device, or one named that has that same device above it (O3).
   *
   * @return {@code STATUS_INVALID_DEVICE_REQUEST} for a parent under another device (T17 d) or a
   *     second default queue
   */
  public WdfResult<WdfIoQueue> ioQueueCreate(WdfDevice device, WdfIoQueueConfig config,
      WdfObjectAttributes attributes) {
    WdfDevice owner = (WdfDevice) valid(device, WdfHandleType.WDFDEVICE, "WdfIoQueueCreate");
    if (config == null || config.dispatchType() == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, "WdfIoQueueCreate: Config is NULL");
    }
    NtStatus valid = validateAttributes(attributes, WdfHandleType.WDFQUEUE, ParentRule.DEFAULT_DRIVER);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    WdfObject parent = attributes == null || attributes.parentObject() == null ? owner : attributes.parentObject();
    if (FxValidation.deviceAncestor(globals, parent) != owner) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    if (config.isDefaultQueue() && owner.defaultQueue() != null) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFQUEUE");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    WdfIoQueue queue = new WdfIoQueue(globals, allocation, attributes, owner, config);
    NtStatus constrained = queue.constraintsStatus();
    if (!constrained.isSuccess() || (config.isDefaultQueue() && !owner.setDefaultQueue(queue))) {
      queue.discardFailedCreate();
      return WdfResult.failed(constrained.isSuccess() ? NtStatus.STATUS_INVALID_DEVICE_REQUEST : constrained);
    }
    WdfResult<WdfIoQueue> created = commit(queue, parent, false);
    if (created.isSuccess()) {
      owner.addQueue(queue);
    }
    return created;
  }

  /**
   * Takes the next request out of a manual queue. Models {@code WdfIoQueueRetrieveNextRequest}
   * (full).
   *
   * @return {@code STATUS_NO_MORE_ENTRIES} when it is empty; {@code STATUS_INVALID_DEVICE_REQUEST}
   *     for a queue that is not manual
   */
  public WdfResult<WdfRequest> ioQueueRetrieveNextRequest(WdfIoQueue queue) {
    return ((WdfIoQueue) valid(queue, WdfHandleType.WDFQUEUE, "WdfIoQueueRetrieveNextRequest")).retrieveNext();
  }

  /** Completes a request with no information. Models {@code WdfRequestComplete} (full). */
  public void requestComplete(WdfRequest request, NtStatus status) {
    requestCompleteWithInformation(request, status, 0);
  }

  /**
   * Completes a request: the IRP completes with {@code status} and {@code information} and the
   * request object is torn down. Models {@code WdfRequestCompleteWithInformation} (full).
   */
  public void requestCompleteWithInformation(WdfRequest request, NtStatus status, long information) {
    WdfRequest live = (WdfRequest) valid(request, WdfHandleType.WDFREQUEST, "WdfRequestComplete");
    if (FxIrql.allows(globals, "WdfRequestComplete")) {
      live.complete(status, information);
    }
  }

  /**
   * Moves a request the driver was presented to another queue of the same device. Models {@code
   * WdfRequestForwardToIoQueue} (full).
   */
  public NtStatus requestForwardToIoQueue(WdfRequest request, WdfIoQueue destination) {
    WdfRequest live = (WdfRequest) valid(request, WdfHandleType.WDFREQUEST, "WdfRequestForwardToIoQueue");
    return ((WdfIoQueue) valid(destination, WdfHandleType.WDFQUEUE, "WdfRequestForwardToIoQueue")).forward(live);
  }

  // Shared validation and commit ----------------------------------------------------------------------

  private WdfObject valid(WdfObject object, WdfHandleType expected, String ddi) {
    return FxValidation.handle(globals, object, expected, ddi);
  }

  /** Checks attributes before anything is allocated (O5); see {@link FxValidation#attributes}. */
  private NtStatus validateAttributes(WdfObjectAttributes attributes, WdfHandleType type, ParentRule rule) {
    return FxValidation.attributes(globals, attributes, type, rule);
  }

  /** The named parent, else the WDFDRIVER, else none (O2). */
  private WdfObject parentFor(WdfObjectAttributes attributes) {
    if (attributes != null && attributes.parentObject() != null) {
      return attributes.parentObject();
    }
    return globals.driver();
  }

  /** Links a created object under {@code parent}; on failure discards it, so no callback runs (O6). */
  static <T extends WdfObject> WdfResult<T> commit(T object, WdfObject parent, boolean referenceParent) {
    NtStatus committed = object.commit(parent, referenceParent);
    if (!committed.isSuccess()) {
      object.discardFailedCreate();
      return WdfResult.failed(committed);
    }
    return WdfResult.created(object);
  }

  /** Where a DDI was called from, for the tag tracker; see {@link FxValidation#site}. */
  private String site(WdfObject object) {
    return FxValidation.site(globals, object);
  }
}
