package ntio.kernel.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ntio.api.DirectoryEntry;
import ntio.api.DriverHolders;
import ntio.api.HandleEntry;
import ntio.api.Holder;
import ntio.ddk.IoStackLocation;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.Directory;
import ntio.kernel.objects.HandleTable;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;

/**
 * "What still holds my driver?" and "which handles are open?": the I/O manager's answers for
 * {@code sc query}, {@code sc stop} and {@code ntio handle}. Models what a kernel debugger's
 * {@code !drvobj}, {@code !devobj} and {@code !handle} together show, and {@code
 * SystemHandleInformation} (partial: no per-thread IRP lists; a request is found by its process).
 *
 * <p>Each answer is a snapshot, made in three steps that never nest their locks: the driver's
 * devices, their {@code ReferenceCount}s, attached devices and file-system registration are
 * copied under the I/O database lock; then every process's handle table is read under its own
 * lock; then the outstanding requests and the image's resources, which are concurrent sets. No
 * driver code runs, and nothing here changes what it reads. Holders come and go meanwhile, so an
 * answer may name a handle closed a moment later; the count of opens without a handle is clamped
 * at zero for the same reason.
 *
 * <p>A caller whose token is not elevated sees the process, user and handle of its own user's
 * holders only: another user's are listed without them, and left out of the handle listing.
 */
public final class Holders {

  private final IoManager io;

  Holders(IoManager io) {
    this.io = io;
  }

  /** One device of the driver, as the I/O database had it. */
  private record DeviceCopy(KernelDeviceObject device, String name, int referenceCount, String attached,
      boolean fileSystem) {}

  /**
   * What keeps the driver that {@code serviceName} started loaded, as {@code caller} may see it.
   *
   * @return the holders; {@code STATUS_OBJECT_NAME_NOT_FOUND} when no loaded driver has that service
   */
  public DriverHolders ofService(String serviceName, KThread caller) {
    Optional<KernelDriverObject> found = findByService(serviceName);
    if (found.isEmpty()) {
      return DriverHolders.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    KernelDriverObject driver = found.get();
    try {
      return describe(driver, caller);
    } finally {
      driver.dereference();
    }
  }

  private DriverHolders describe(KernelDriverObject driver, KThread caller) {
    List<DeviceCopy> devices = new ArrayList<>();
    boolean unloadPending;
    synchronized (io.database) {
      unloadPending = driver.stateLocked() == DriverState.UNLOAD_PENDING;
      for (KernelDeviceObject device : driver.devicesLocked()) {
        KernelDeviceObject above = device.attachedDeviceLocked();
        devices.add(new DeviceCopy(device, nameOf(device), device.referenceCountLocked(),
            above == null ? "" : above.fullName().orElse("an unnamed device") + " of " + above.driver().driverName().text(),
            device.isRegisteredFileSystemLocked()));
      }
    }
    Map<KernelDeviceObject, DeviceCopy> ours = new IdentityHashMap<>();
    devices.forEach(d -> ours.put(d.device(), d));

    // One pass over every handle table: each handle to a file of one of our devices, by device.
    Map<KernelDeviceObject, List<Holder>> handles = new IdentityHashMap<>();
    Map<KernelDeviceObject, Set<KernelFileObject>> named = new IdentityHashMap<>();
    for (KProcess process : io.processes.processes()) {
      for (HandleTable.Listed listed : process.handleTable().snapshot()) {
        if (listed.entry().object() instanceof KernelFileObject file && ours.containsKey(file.device())) {
          named.computeIfAbsent(file.device(), d -> java.util.Collections.newSetFromMap(new IdentityHashMap<>()))
              .add(file);
          handles.computeIfAbsent(file.device(), d -> new ArrayList<>()).add(processHolder(Holder.Kind.OPEN_HANDLE,
              ours.get(file.device()).name(), true, process, listed.handle().value(), "", caller));
        }
      }
    }

    List<Holder> holders = new ArrayList<>();
    for (DeviceCopy device : devices) {
      holders.addAll(handles.getOrDefault(device.device(), List.of()));
      int unnamed = device.referenceCount() - named.getOrDefault(device.device(), Set.of()).size()
          - (device.fileSystem() ? 1 : 0);
      if (unnamed > 0) {
        holders.add(plain(Holder.Kind.OPEN_WITHOUT_HANDLE, device.name(), true,
            unnamed + (unnamed == 1 ? " open" : " opens") + " with no handle in any process"));
      }
      if (!device.attached().isEmpty()) {
        holders.add(plain(Holder.Kind.ATTACHED_DEVICE, device.name(), true, device.attached()));
      }
      if (device.fileSystem()) {
        holders.add(plain(Holder.Kind.FILE_SYSTEM, device.name(), true, "registered with IoRegisterFileSystem"));
      }
    }
    for (KProcess process : io.processes.processes()) {
      for (IoRequest request : io.fileCalls.outstanding().outstandingOf(process)) {
        pendingAt(request, ours).ifPresent(where -> holders.add(processHolder(Holder.Kind.PENDING_IRP,
            where.device(), false, process, 0, where.detail(), caller)));
      }
    }
    if (driver.services() instanceof ImageServices image) {
      ImageResources resources = image.resources();
      resources.ioWorkItems.forEach(w -> holders.add(plain(Holder.Kind.WORK_ITEM, nameOf(w.device()), false,
          "IoQueueWorkItem running " + w.routine())));
      resources.workItems.forEach(w -> holders.add(plain(Holder.Kind.WORK_ITEM, "", false,
          "ExQueueWorkItem running " + w.routine())));
      resources.setTimers.forEach(t -> holders.add(plain(Holder.Kind.TIMER, "", false, t.describe())));
      resources.threads.stream().filter(SystemThreadObject::isAlive)
          .forEach(t -> holders.add(plain(Holder.Kind.SYSTEM_THREAD, "", false, t.describe())));
    }
    return new DriverHolders(NtStatus.STATUS_SUCCESS, driver.serviceName(), driver.driverName().text(),
        unloadPending, holders);
  }

  /** Where a request is pending, when that is at one of {@code ours} or on a file of one of them. */
  private record PendingAt(String device, String detail) {}

  private static Optional<PendingAt> pendingAt(IoRequest request, Map<KernelDeviceObject, DeviceCopy> ours) {
    KernelIrp irp = request.irp();
    if (irp == null || irp.isFinished()) {
      return Optional.empty();
    }
    IoStackLocation location;
    try {
      location = irp.currentStackLocation();
    } catch (IllegalStateException notInADriver) {
      return Optional.empty();
    }
    String function = MajorFunctions.name(location.majorFunction());
    if (location.deviceObject() instanceof KernelDeviceObject at && ours.containsKey(at)) {
      return Optional.of(new PendingAt(ours.get(at).name(), function + " pending in the driver"));
    }
    KernelFileObject file = irp.originalFile();
    if (file != null && ours.containsKey(file.device())) {
      String below = location.deviceObject() instanceof KernelDeviceObject at ? nameOf(at) : "another device";
      return Optional.of(new PendingAt(ours.get(file.device()).name(),
          function + " on a file of the device, pending at " + below));
    }
    return Optional.empty();
  }

  /**
   * Every open handle of every process {@code caller} may see, by process id and handle value.
   * Each process's table is read under its own lock, one at a time.
   */
  public List<HandleEntry> handles(KThread caller) {
    List<HandleEntry> all = new ArrayList<>();
    for (KProcess process : io.processes.processes()) {
      if (!maySee(caller, process)) {
        continue;
      }
      Sid user = process.token().user();
      for (HandleTable.Listed listed : process.handleTable().snapshot()) {
        KernelObject object = listed.entry().object();
        all.add(new HandleEntry(process.id(), process.name(), user.displayName(), unixUid(user),
            listed.handle().value(), object.type().typeName(), objectName(object),
            listed.entry().grantedAccess(), process.unixPid()));
      }
    }
    all.sort(Comparator.comparingInt(HandleEntry::processId)
        .thenComparingLong(e -> Integer.toUnsignedLong(e.handle())));
    return all;
  }

  // ---------------------------------------------------------------------------------------------

  private Optional<KernelDriverObject> findByService(String serviceName) {
    if (serviceName == null) {
      return Optional.empty();
    }
    for (Directory directory : List.of(io.driverDirectory, io.fileSystemDirectory)) {
      String prefix = directory == io.driverDirectory ? "\\Driver\\" : "\\FileSystem\\";
      for (DirectoryEntry entry : io.objects.list(directory)) {
        if (!entry.typeName().equals("Driver")) {
          continue;
        }
        ObjectManager.Referenced<KernelDriverObject> found =
            io.objects.referenceByName(prefix + entry.name(), io.driverType);
        if (found.isSuccess()) {
          if (found.object().serviceName().equalsIgnoreCase(serviceName)) {
            return Optional.of(found.object());
          }
          found.object().dereference();
        }
      }
    }
    return Optional.empty();
  }

  private static Holder plain(Holder.Kind kind, String device, boolean blocks, String detail) {
    return new Holder(kind, device, blocks, 0, "", "", -1, 0, detail);
  }

  private static Holder processHolder(Holder.Kind kind, String device, boolean blocks, KProcess process,
      int handle, String detail, KThread caller) {
    if (!maySee(caller, process)) {
      return new Holder(kind, device, blocks, 0, "", "", -1, 0,
          (detail.isEmpty() ? "" : detail + "; ") + "in another user's process");
    }
    Sid user = process.token().user();
    return new Holder(kind, device, blocks, process.id(), process.name(), user.displayName(), unixUid(user),
        handle, detail, process.unixPid());
  }

  /** Elevated and kernel-mode callers see every process; others their own user's. */
  private static boolean maySee(KThread caller, KProcess process) {
    return !caller.isUserMode() || caller.token().isElevated()
        || caller.token().user().equals(process.token().user());
  }

  /** The uid of {@code S-1-22-1-<uid>}, else -1. */
  static long unixUid(Sid user) {
    return user.identifierAuthority() == Sid.UNIX_AUTHORITY && user.subAuthorityCount() == 2
        && user.subAuthority(0) == 1 ? Integer.toUnsignedLong(user.subAuthority(1)) : -1;
  }

  private static String nameOf(KernelDeviceObject device) {
    return device.fullName().orElse(device.describe());
  }

  private static String objectName(KernelObject object) {
    if (object instanceof KernelFileObject file) {
      String name = file.fileName().text();
      return nameOf(file.device()) + (name.isEmpty() || name.startsWith("\\") ? name : "\\" + name);
    }
    return object.fullName().orElse("");
  }
}
