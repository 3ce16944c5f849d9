package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_ACCESS_VIOLATION;
import static ntio.ddk.NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import ntio.api.DriverEvent;
import ntio.api.DriverLoadResult;
import ntio.api.KeyInfoResult;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverFlags;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.executive.WorkResult;
import ntio.kernel.loader.DriverLoader;
import ntio.kernel.loader.ImagePaths;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KThread;
import ntio.kernel.security.PrivilegeCheck;
import ntio.kernel.verifier.VerifiedImage;

/**
 * {@code NtLoadDriver} and {@code NtUnloadDriver}: the load/unload protocol of the spec's B1–B21,
 * in NT's order.
 *
 * <p>Both run in the System process: a caller in another process queues the work to the delayed
 * work queue and waits (B3); a caller that already is a System worker — a DriverEntry calling
 * {@code ZwLoadDriver}, say — runs it directly. Loads and unloads are serialized by
 * {@link #loadLock}, NT's {@code IopDriverLoadResource}, held around the image load and
 * DriverEntry; it is reentrant for the driver that loads or unloads from its own DriverEntry.
 *
 * <p>Implementation notes: {@code loadLock} is the one kernel lock held while driver code runs,
 * exactly where NT holds its resource; it guards no data, only the order of loads and unloads. A
 * DriverEntry that waits for another thread's load would deadlock, as it would on Windows.
 */
public final class DriverLoading {

  private static final System.Logger LOG = System.getLogger(DriverLoading.class.getName());

  /** {@code IopDriverLoadResource}: serializes loads and unloads (B3). */
  final ReentrantLock loadLock = new ReentrantLock();

  private final IoManager io;

  DriverLoading(IoManager io) {
    this.io = io;
  }

  /**
   * Loads the driver whose service key is {@code serviceKey}. Models {@code NtLoadDriver} and
   * {@code IopLoadDriver} (full; the PnP manager loads a device's drivers through it too, then calls AddDevice).
   *
   * @return STATUS_SUCCESS (or DriverEntry's own informational status); the first failure in NT's
   *     order otherwise; DriverEntry's own status when it fails (B10)
   */
  public NtStatus ntLoadDriver(KThread caller, UnicodeString serviceKey) {
    return ntLoadDriverDetailed(caller, serviceKey).status();
  }

  /**
   * {@link #ntLoadDriver}, with the detail of a failure: which cause of the status it is and what
   * to do (NT writes it to the System event log, event 7000). Every load, successful or not, is
   * published to the {@link DriverEvents} once it is over, outside the load lock.
   */
  public DriverLoadResult ntLoadDriverDetailed(KThread caller, UnicodeString serviceKey) {
    NtStatus admitted = admit(caller, serviceKey);
    if (!admitted.isSuccess()) {
      // The status says it all (STATUS_PRIVILEGE_NOT_HELD, a bad argument): no detail.
      LoadOutcome refused = new LoadOutcome(DriverLoadResult.of(admitted), serviceNameOf(serviceKey), "");
      publish(refused);
      return refused.result();
    }
    LoadOutcome outcome = inSystemProcess(() -> locked(() -> load(serviceKey)), "NtLoadDriver",
        status -> new LoadOutcome(DriverLoadResult.of(status), serviceNameOf(serviceKey), ""));
    publish(outcome);
    return outcome.result();
  }

  /** What one load came to, and whose it was, for the result and the event. */
  private record LoadOutcome(DriverLoadResult result, String service, String driverObject) {

    static LoadOutcome failed(NtStatus status, String detail, String service) {
      return new LoadOutcome(new DriverLoadResult(status, detail), service, "");
    }
  }

  private void publish(LoadOutcome outcome) {
    NtStatus status = outcome.result().status();
    io.driverEvents.publish(status.isSuccess()
        ? new DriverEvent(DriverEvent.Kind.LOADED, outcome.service(), outcome.driverObject(), status, "")
        : new DriverEvent(DriverEvent.Kind.LOAD_FAILED, outcome.service(), outcome.driverObject(), status,
            outcome.result().detail()));
  }

  /** The last component of a service key path, for an event about a load that never read it. */
  private static String serviceNameOf(UnicodeString serviceKey) {
    if (serviceKey == null || serviceKey.hasNullBuffer() || !serviceKey.isReadable()) {
      return "";
    }
    String path = serviceKey.toString();
    return path.substring(path.lastIndexOf('\\') + 1);
  }

  /**
   * Unloads the driver whose service key is {@code serviceKey}. Models {@code NtUnloadDriver} and
   * {@code IopUnloadDriver} (full): STATUS_SUCCESS both when DriverUnload ran and when the unload
   * is deferred until the driver's devices are closed and detached (B19, B20).
   */
  public NtStatus ntUnloadDriver(KThread caller, UnicodeString serviceKey) {
    NtStatus admitted = admit(caller, serviceKey);
    return admitted.isSuccess()
        ? inSystemProcess(() -> locked(() -> unload(serviceKey)), "NtUnloadDriver")
        : admitted;
  }

  /** B1, B13: the privilege is checked before the argument is even looked at. */
  private static NtStatus admit(KThread caller, UnicodeString serviceKey) {
    NtStatus allowed = PrivilegeCheck.requirePrivilege(Privilege.SE_LOAD_DRIVER_PRIVILEGE,
        caller.token(), caller.previousMode());
    return allowed.isSuccess() ? capture(serviceKey) : allowed;
  }

  /** B2, B13: a NULL argument or an unreadable buffer is the probe's status; an empty one is invalid. */
  private static NtStatus capture(UnicodeString name) {
    if (name == null) {
      return STATUS_ACCESS_VIOLATION;
    }
    if (name.length() == 0) {
      return STATUS_INVALID_PARAMETER;
    }
    if (name.hasNullBuffer() || !name.isReadable()) {
      return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
  }

  /** B3: run in the System process, queueing to the delayed worker queue unless already there. */
  private NtStatus inSystemProcess(Supplier<NtStatus> work, String what) {
    return inSystemProcess(work, what, status -> status);
  }

  /** B3, for work with a richer result: {@code refused} makes one of a queueing failure's status. */
  private <T> T inSystemProcess(Supplier<T> work, String what, Function<NtStatus, T> refused) {
    if (io.processes.isSystemThread()) {
      return work.get();
    }
    WorkResult<T> result = io.workQueues.runAndWait(WorkQueueType.DELAYED, work, what);
    return result.status().isSuccess() ? result.value() : refused.apply(result.status());
  }

  private <T> T locked(Supplier<T> work) {
    loadLock.lock();
    try {
      return work.get();
    } finally {
      loadLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Load

  private LoadOutcome load(UnicodeString serviceKey) {
    KThread system = io.processes.systemThread();
    ServiceKey key = ServiceKey.open(io, system, serviceKey);
    if (!key.status().isSuccess()) {
      // No such service: the status names it, as the key's own open does.
      return LoadOutcome.failed(key.status(), "", serviceNameOf(serviceKey));
    }
    String service = key.serviceName();
    try {
      // B5: the image path, with the documented default.
      ValueResult imagePathValue = key.value("ImagePath");
      if (!imagePathValue.status().isSuccess() && !imagePathValue.status().equals(STATUS_OBJECT_NAME_NOT_FOUND)) {
        return LoadOutcome.failed(imagePathValue.status(), "the service's ImagePath value cannot be read", service);
      }
      ImagePaths.NtPath imagePath = ImagePaths.imagePath(key.serviceName(),
          imagePathValue.status().isSuccess() ? Optional.of(imagePathValue.value()) : Optional.empty());
      if (!imagePath.status().isSuccess()) {
        return LoadOutcome.failed(imagePath.status(), "the service's ImagePath value names no image path"
            + " (it must be a REG_SZ or REG_EXPAND_SZ path; 'ntio sc config " + service + " --image FILE'"
            + " replaces it)", service);
      }
      // B6: the image is loaded (mapped) before anything else; already loaded answers here.
      DriverLoader.MapResult mapped = io.loader.map(key.serviceName(), imagePath.path());
      if (!mapped.status().isSuccess()) {
        // NT writes event 7000 to the System log; here the detail goes back with the status and
        // out as a LOAD_FAILED event (a host logs it at ERROR), so this trace is for debugging.
        LOG.log(System.Logger.Level.DEBUG, "The {0} service failed to load: {1}: {2}",
            key.serviceName(), mapped.status(), mapped.detail());
        // Already loaded for this very service: the status says it all. For another service's
        // image, the detail names that service.
        boolean ours = mapped.image() != null && mapped.image().serviceName().equalsIgnoreCase(service);
        return LoadOutcome.failed(mapped.status(), ours ? "" : mapped.detail(), service);
      }
      LoadedImage image = mapped.image();
      // B7: the driver object's name; on failure the image goes again.
      DriverName name = driverName(key);
      if (!name.status().isSuccess()) {
        io.loader.unmap(image);
        return LoadOutcome.failed(name.status(), "the service key's ObjectName or Type value is"
            + " ill-formed: ObjectName must be a non-empty REG_SZ, Type a REG_DWORD", service);
      }
      // DV1: whether this load is verified is decided before any of the image's classes is
      // defined, so a tracked image's pool calls can be thunked.
      VerifiedImage verified = io.verifier.atLoad(image).orElse(null);
      LoadedImage.EntryPoint entryPoint =
          image.newEntryPoint(verified != null && verified.tracksPool());
      if (entryPoint.thrown() != null) {
        io.loader.unmap(image);
        throw io.bugChecks.raise(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, BugCheck.exceptionCodeOf(entryPoint.thrown()),
            0, 0, 0, key.serviceName(), "the entry class of " + image.imageName() + " threw "
                + entryPoint.thrown() + " while being created", entryPoint.thrown());
      }
      if (!entryPoint.status().isSuccess()) {
        io.loader.unmap(image);
        return LoadOutcome.failed(entryPoint.status(), entryPoint.detail(), service);
      }
      NtStatus status = initialize(key, name.name(), image, entryPoint.driverEntry(), verified);
      return new LoadOutcome(new DriverLoadResult(status, status.isSuccess() ? ""
          : initializeFailure(status, name.name())), service, name.name());
    } finally {
      key.close();
    }
  }

  /**
   * Whether a failed load's result is DriverEntry's own failure (B10), which the PnP manager maps
   * to CM_PROB_FAILED_DRIVER_ENTRY (B41): the detail {@link #initializeFailure} wrote.
   */
  static boolean isDriverEntryFailure(DriverLoadResult result) {
    return !result.status().isSuccess() && result.detail().startsWith(DRIVER_ENTRY_FAILED);
  }

  private static final String DRIVER_ENTRY_FAILED = "DriverEntry of ";

  /** What a failure from making the driver object or from DriverEntry says besides its status. */
  private static String initializeFailure(NtStatus status, String driverObject) {
    return status.equals(NtStatus.STATUS_OBJECT_NAME_COLLISION)
        ? "a driver object named " + driverObject + " exists already (another service's ObjectName?)"
        : DRIVER_ENTRY_FAILED + driverObject + " returned " + status;
  }

  /** B8–B11: the driver object, DriverEntry, and what follows it. */
  private NtStatus initialize(ServiceKey key, String objectName, LoadedImage image, DriverEntry entry,
      VerifiedImage verified) {
    int flags = image.isWdm() ? 0 : DriverFlags.DRVO_LEGACY_DRIVER;
    KernelDriverObject driver = new KernelDriverObject(io.driverType, io.database, objectName, key.serviceName(),
        entry, image, flags, io.invalidDeviceRequest);
    driver.setServices(verified == null ? new ImageImports(io, driver) : new VerifierThunks(io, driver, verified));
    // B8: named before DriverEntry runs; the creator's reference is the load reference. A name
    // collision destroys the object, whose delete procedure unmaps the image (T27).
    NtStatus inserted = io.objects.insertObject(driver, IoManager.permanent(objectName), null, 0,
        io.objects.kernelCaller(), false, true).status();
    if (!inserted.isSuccess()) {
      return inserted;
    }
    // B9: DriverEntry sees the resolved key name, with MaximumLength equal to Length (T1).
    UnicodeString registryPath = UnicodeString.of(key.resolvedPath());
    NtStatus status = io.callDriverWatched(driver, "DriverEntry",
        () -> entry.driverEntry(driver, registryPath));
    if (status == null) {
      throw io.driverFault(driver, new NullPointerException("DriverEntry returned null"));
    }
    // B10 (failure) or B11 (success), as for IoCreateDriver's routine.
    io.lifetime.entryReturned(driver, status);
    return status;
  }

  /** The driver object's name and the status of deriving it. */
  private record DriverName(NtStatus status, String name) {}

  /**
   * {@code IopGetDriverNames} (B7): ObjectName wins and must be a non-empty REG_SZ; else Type must
   * be a 4-byte REG_DWORD, and 2 or 8 mean {@code \FileSystem\}, anything else {@code \Driver\}.
   */
  private static DriverName driverName(ServiceKey key) {
    ValueResult objectName = key.value("ObjectName");
    if (objectName.status().isSuccess()) {
      RegValue value = objectName.value();
      String text = value.type() == RegType.REG_SZ && value.dataLength() != 0
          ? value.stringValue().orElse("") : "";
      return text.isEmpty()
          ? new DriverName(STATUS_ILL_FORMED_SERVICE_ENTRY, null)
          : new DriverName(STATUS_SUCCESS, text);
    }
    if (!objectName.status().equals(STATUS_OBJECT_NAME_NOT_FOUND)) {
      return new DriverName(objectName.status(), null);
    }
    ValueResult type = key.value("Type");
    if (!type.status().isSuccess()) {
      return new DriverName(type.status(), null);
    }
    if (type.value().type() != RegType.REG_DWORD || type.value().dwordValue().isEmpty()) {
      return new DriverName(STATUS_ILL_FORMED_SERVICE_ENTRY, null);
    }
    int serviceType = type.value().dwordValue().getAsInt();
    String prefix = serviceType == 2 || serviceType == 8 ? "\\FileSystem\\" : "\\Driver\\";
    return new DriverName(STATUS_SUCCESS, prefix + key.serviceName());
  }

  // ---------------------------------------------------------------------------------------------
  // Unload

  private NtStatus unload(UnicodeString serviceKey) {
    KThread system = io.processes.systemThread();
    // B14: the key is opened first, so a malformed name fails as the object manager says.
    ServiceKey key = ServiceKey.open(io, system, serviceKey);
    if (!key.status().isSuccess()) {
      return key.status();
    }
    try {
      // B15: the driver object's name, by the same rules as the load.
      DriverName name = driverName(key);
      if (!name.status().isSuccess()) {
        return name.status();
      }
      Referenced<KernelDriverObject> found = io.objects.referenceByName(name.name(), io.driverType);
      if (!found.isSuccess()) {
        return found.status().equals(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND) ? STATUS_OBJECT_NAME_NOT_FOUND : found.status();
      }
      KernelDriverObject driver = found.object();
      try {
        return unload(key, driver);
      } finally {
        driver.dereference();
      }
    } finally {
      key.close();
    }
  }

  private NtStatus unload(ServiceKey key, KernelDriverObject driver) {
    // B16, B17.
    NtStatus refused = io.unloadPolicy.refusal(driver);
    if (!refused.isSuccess()) {
      return refused;
    }
    // B18: the image path is read after the driver object is found.
    ValueResult imagePath = key.value("ImagePath");
    if (!imagePath.status().isSuccess() && !imagePath.status().equals(STATUS_OBJECT_NAME_NOT_FOUND)) {
      return imagePath.status();
    }
    // B19: mark every device, then unload now or defer.
    NtStatus requested = io.unloadPolicy.requestUnload(driver);
    if (requested.isSuccess() && (driver.flags() & DriverFlags.DRVO_UNLOAD_INVOKED) == 0) {
      // Something holds the driver: DriverUnload runs when the last hold goes. (A last close
      // racing this look finishes the unload first; then only its completion is told.)
      io.driverEvents.publish(new DriverEvent(DriverEvent.Kind.UNLOAD_DEFERRED, key.serviceName(),
          driver.driverName().text(), NtStatus.STATUS_SUCCESS, holders(driver)));
    }
    return requested;
  }

  /** What keeps a driver whose unload is deferred, counted: its devices' open references. */
  private String holders(KernelDriverObject driver) {
    int devices = 0;
    int opens = 0;
    int attached = 0;
    synchronized (io.database) {
      for (KernelDeviceObject device : driver.devicesLocked()) {
        devices++;
        opens += device.referenceCountLocked();
        attached += device.attachedDeviceLocked() != null ? 1 : 0;
      }
    }
    return opens + " open reference" + (opens == 1 ? "" : "s") + " and " + attached
        + " attached device" + (attached == 1 ? "" : "s") + " on its " + devices + " device"
        + (devices == 1 ? "" : "s") + " keep it; DriverUnload runs when they go";
  }

  /** An open service key: its resolved name, its service name, its values. */
  private record ServiceKey(IoManager io, KThread system, NtStatus status, Handle handle,
      String serviceName, String resolvedPath) {

    static ServiceKey open(IoManager io, KThread system, UnicodeString name) {
      OpenResult opened = io.registry.ntOpenKey(system, AccessMask.KEY_READ,
          new ObjectAttributes(Handle.NULL, name, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
      if (!opened.status().isSuccess()) {
        return new ServiceKey(io, system, opened.status(), Handle.NULL, null, null);
      }
      KeyInfoResult info = io.registry.ntQueryKey(system, opened.handle());
      if (!info.status().isSuccess()) {
        io.objects.close(opened.handle(), system);
        return new ServiceKey(io, system, info.status(), Handle.NULL, null, null);
      }
      // B4: the service name is the key's last component, spelled as the registry spells it.
      return new ServiceKey(io, system, STATUS_SUCCESS, opened.handle(), info.info().name(), info.info().path());
    }

    ValueResult value(String name) {
      return io.registry.ntQueryValueKey(system, handle, UnicodeString.of(name));
    }

    void close() {
      if (!handle.isNull()) {
        io.objects.close(handle, system);
      }
    }
  }
}
