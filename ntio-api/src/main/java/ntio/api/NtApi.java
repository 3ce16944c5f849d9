package ntio.api;

import java.time.Duration;
import java.util.List;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;

/**
 * The system calls of one user-mode client process: what {@code ntdll} would offer a tool. Each
 * call is made by this client's process (its token, its handle table) in user mode, so arguments
 * are captured and access is checked exactly as for any user-mode caller. Handles are this
 * process's own; another process's handle values mean nothing here.
 *
 * <p>Two implementations behave the same: {@code LocalNt} calls an in-process kernel, and the wire
 * client sends each call to a daemon, where a {@code LocalNt} for the connection's process makes
 * it. Calls never throw for an NT failure: they return its status. A call that cannot reach the
 * kernel at all (the daemon went away) throws {@link KernelGoneException}.
 */
public interface NtApi extends AutoCloseable {

  // The client process ---------------------------------------------------------------------------

  /**
   * The kernel's state directory on this machine (registry hive, {@code SystemRoot}, crash
   * reports), as the kernel's host sees it: where an installer copies a driver image, and where
   * crash reports are read from. A Unix socket only connects processes of one machine, so the path
   * is valid for the client too (whether the client may read or write there is the file system's
   * decision).
   */
  java.nio.file.Path stateDirectory();

  /** {@code NtQueryInformationToken} on this process's token. */
  TokenInfo queryToken();

  /** {@code NtAdjustPrivilegesToken} on this process's token. */
  AdjustPrivilegesResult adjustPrivileges(List<LuidAndAttributes> newState);

  // Objects --------------------------------------------------------------------------------------

  /** {@code NtClose}. */
  NtStatus close(Handle handle);

  /**
   * {@code NtDuplicateObject} with this process as both the source and the target process (a
   * client names no other process): a second handle to the object {@code source} names. Each
   * handle is closed on its own; the object lives while either is open.
   *
   * @param desiredAccess the access the new handle asks for; ignored with {@code
   *     DUPLICATE_SAME_ACCESS}
   * @param handleAttributes the new handle's {@code OBJ_INHERIT} / {@code OBJ_PROTECT_CLOSE}
   *     bits; ignored with {@code DUPLICATE_SAME_ATTRIBUTES}
   * @param options {@code DUPLICATE_CLOSE_SOURCE}, {@code DUPLICATE_SAME_ACCESS}, {@code
   *     DUPLICATE_SAME_ATTRIBUTES} (the values of {@code ObjectManager})
   */
  OpenResult duplicateObject(Handle source, int desiredAccess, int handleAttributes, int options);

  /** {@code NtMakeTemporaryObject}: a permanent named object goes when its last handle closes. */
  NtStatus makeTemporaryObject(Handle handle);

  /** {@code NtMakePermanentObject}: needs {@code SeCreatePermanentPrivilege}. */
  NtStatus makePermanentObject(Handle handle);

  /** {@code NtCreateDirectoryObject}. */
  OpenResult createDirectoryObject(int desiredAccess, ObjectAttributes attributes);

  /** {@code NtOpenDirectoryObject}. */
  OpenResult openDirectoryObject(int desiredAccess, ObjectAttributes attributes);

  /** {@code NtQueryDirectoryObject}: every entry at once. */
  Listing queryDirectoryObject(Handle directory);

  /** One entry of a directory, by name: its object's header (WinObj's properties page). */
  EntryInfo queryDirectoryEntry(Handle directory, String name);

  /**
   * {@code NtQueryObject}: the header of the object a handle names, and ObjectNameInformation
   * with its own status (for a file: the device's name and the driver's FileNameInformation,
   * whose failures are the name's status).
   */
  ObjectQuery queryObject(Handle handle);

  /** {@code NtCreateSymbolicLinkObject}; {@code target} may be null (a NULL pointer). */
  OpenResult createSymbolicLinkObject(int desiredAccess, ObjectAttributes attributes, UnicodeString target);

  /** {@code NtOpenSymbolicLinkObject}. */
  OpenResult openSymbolicLinkObject(int desiredAccess, ObjectAttributes attributes);

  /** {@code NtQuerySymbolicLinkObject}. */
  LinkTarget querySymbolicLinkObject(Handle link);

  // Events ---------------------------------------------------------------------------------------

  /**
   * {@code NtCreateEvent}; {@code attributes} may be null (an unnamed event), {@code type} null is
   * an {@code EVENT_TYPE} that is neither kind ({@code STATUS_INVALID_PARAMETER}).
   */
  OpenResult createEvent(int desiredAccess, ObjectAttributes attributes, EventType type, boolean initialState);

  /** {@code NtOpenEvent}. */
  OpenResult openEvent(int desiredAccess, ObjectAttributes attributes);

  /** {@code NtSetEvent}: the status and the previous state. */
  EventStateResult setEvent(Handle event);

  /** {@code NtResetEvent}: the status and the previous state. */
  EventStateResult resetEvent(Handle event);

  /** {@code NtPulseEvent}: the status and the previous state. */
  EventStateResult pulseEvent(Handle event);

  /**
   * {@code NtWaitForSingleObject} on an event, not alertable: {@code STATUS_SUCCESS} once it is
   * signalled (a synchronization event is reset by the wait it satisfies), {@code STATUS_TIMEOUT}
   * when {@code timeout} passes first. The handle needs {@code SYNCHRONIZE}; a handle to anything
   * but an event is {@code STATUS_OBJECT_TYPE_MISMATCH} (ntio's waitable objects are events).
   *
   * @param timeout how long to wait, relative; null waits forever (a NULL {@code Timeout}), zero
   *     tests the event and returns; negative is {@code STATUS_INVALID_PARAMETER}
   */
  NtStatus waitForSingleObject(Handle event, Duration timeout);

  // Registry -------------------------------------------------------------------------------------

  /** {@code NtCreateKey}. */
  KeyCreateResult createKey(int desiredAccess, ObjectAttributes attributes, int createOptions);

  /** {@code NtOpenKey}. */
  OpenResult openKey(int desiredAccess, ObjectAttributes attributes);

  /** {@code NtDeleteKey}. */
  NtStatus deleteKey(Handle key);

  /** {@code NtSetValueKey}. */
  NtStatus setValueKey(Handle key, UnicodeString valueName, int type, byte[] data);

  /** {@code NtQueryValueKey}. */
  ValueResult queryValueKey(Handle key, UnicodeString valueName);

  /** {@code NtDeleteValueKey}. */
  NtStatus deleteValueKey(Handle key, UnicodeString valueName);

  /** {@code NtEnumerateKey}: the name of the subkey at {@code index}. */
  KeyNameResult enumerateKey(Handle key, int index);

  /** {@code NtEnumerateValueKey}: the value at {@code index}. */
  ValueResult enumerateValueKey(Handle key, int index);

  /** {@code NtQueryKey}. */
  KeyInfoResult queryKey(Handle key);

  /** {@code NtFlushKey}. */
  NtStatus flushKey(Handle key);

  /** {@code RegSaveKey} in {@code .reg} text: a key and its subtree, as {@code reg export}. */
  RegExportResult exportKey(String keyPath);

  /** {@code reg import}: applies a {@code .reg} file's text. */
  RegImportResult importRegFile(byte[] file);

  // Drivers --------------------------------------------------------------------------------------

  /** {@code NtLoadDriver}; {@code serviceKey} may be null (a NULL pointer). */
  NtStatus loadDriver(UnicodeString serviceKey);

  /**
   * {@code NtLoadDriver}, with the reason for a failure: the same status as {@link #loadDriver},
   * and a {@link DriverLoadResult#detail() detail} line saying which cause of the status it is and
   * what to do (NT writes that to the System event log instead). The default knows no detail.
   */
  default DriverLoadResult loadDriverDetailed(UnicodeString serviceKey) {
    return DriverLoadResult.of(loadDriver(serviceKey));
  }

  /** {@code NtUnloadDriver}; {@code serviceKey} may be null (a NULL pointer). */
  NtStatus unloadDriver(UnicodeString serviceKey);

  // Files ----------------------------------------------------------------------------------------

  /** {@code NtCreateFile} / {@code NtOpenFile} on a device. */
  OpenResult createFile(int desiredAccess, ObjectAttributes attributes, int shareAccess, int createOptions);

  /** {@code NtOpenFile}: opens a device, which always exists already. */
  OpenResult openFile(int desiredAccess, ObjectAttributes attributes, int shareAccess, int openOptions);

  /**
   * {@code NtQueryInformationFile}: the class's information, {@code length} bytes of buffer at
   * most; the result's {@code information} is the bytes written and its data those bytes.
   */
  IoResult queryInformationFile(Handle file, int informationClass, int length);

  /**
   * {@code NtQueryVolumeInformationFile}: the volume information of class {@code
   * fsInformationClass} ({@code ntio.ddk.FsInformationClass}) for the device the file is on,
   * {@code length} bytes of buffer at most; the result's {@code information} is the bytes written
   * and its data those bytes. Bounded like {@link #queryInformationFile}.
   */
  IoResult queryVolumeInformationFile(Handle file, int fsInformationClass, int length);

  /**
   * {@code NtSetInformationFile}: {@code data} is the buffer (its length the call's {@code
   * Length}); null is a NULL buffer ({@code STATUS_ACCESS_VIOLATION}).
   */
  IoResult setInformationFile(Handle file, int informationClass, byte[] data);

  /** {@code NtReadFile}, synchronous. */
  IoResult readFile(Handle file, int length, long byteOffset);

  /** {@code NtWriteFile}, synchronous. */
  IoResult writeFile(Handle file, byte[] data, long byteOffset);

  /** {@code NtDeviceIoControlFile}, synchronous. */
  IoResult deviceIoControlFile(Handle file, int ioControlCode, byte[] input, int outputLength);

  /** {@code NtReadFile}, overlapped: returns at once; the completion holds the result. */
  PendingIo readFileAsync(Handle file, int length, long byteOffset);

  /** {@code NtWriteFile}, overlapped. */
  PendingIo writeFileAsync(Handle file, byte[] data, long byteOffset);

  /** {@code NtDeviceIoControlFile}, overlapped. */
  PendingIo deviceIoControlFileAsync(Handle file, int ioControlCode, byte[] input, int outputLength);

  /** {@code NtCancelIoFile}: cancels this process's requests on the file. */
  NtStatus cancelIoFile(Handle file);

  /** {@code NtCancelIoFileEx}: cancels one request, named by its {@link PendingIo#id()}. */
  NtStatus cancelIoFileEx(Handle file, long requestId);

  /** {@code NtFlushBuffersFile}. */
  NtStatus flushBuffersFile(Handle file);

  // System information ---------------------------------------------------------------------------

  /** The loaded drivers ({@code SystemModuleInformation}, as driverquery shows them). */
  SystemResult<DriverInfo> queryDrivers();

  /** A device object, by name ({@code !devobj}): status and, on success, one row. */
  SystemResult<DeviceInfo> queryDevice(String devicePath);

  /**
   * What keeps the driver that service {@code serviceName} started loaded ("what still holds my
   * driver?"): open handles by client process, opens no handle names, devices attached on top of
   * its devices, pending requests, a file-system registration, and work items, timers and System
   * threads still running its code. Holders in another user's process are named (process, user,
   * handle) only to a caller whose token is elevated; to others they are listed without them.
   * The service name is compared without regard to case.
   */
  DriverHolders queryDriverHolders(String serviceName);

  /**
   * Every open handle of every process ({@code SystemHandleInformation}, handle.exe), by process
   * id and handle value. A caller whose token is not elevated sees its own user's processes only.
   */
  SystemResult<HandleEntry> queryHandles();

  // Plug and Play (NtPlugPlayControl; devcon) ----------------------------------------------------

  /**
   * The PnP manager's device tree ({@code devcon tree}): every devnode, the root first, each
   * parent before its children.
   */
  SystemResult<DevNodeInfo> queryDeviceTree();

  /**
   * Installs and brings up a root-enumerated device ({@code devcon install}): needs
   * SeLoadDriverPrivilege, as loading its drivers does.
   */
  DeviceInstallResult installDevice(DeviceInstall install);

  /**
   * Removes a device and its children ({@code devcon remove}): query-remove (which a driver or an
   * open handle can veto), then remove; a root-enumerated device's instance key is deleted too.
   * When the last device of a PnP driver goes, the driver unloads.
   */
  PnpVetoResult removeDevice(String instancePath);

  /** Disables a device ({@code devcon disable}): removed as above, and kept from starting again. */
  PnpVetoResult disableDevice(String instancePath);

  /** Enables a disabled device and brings it up ({@code devcon enable}). */
  NtStatus enableDevice(String instancePath);

  /** Restarts a device ({@code devcon restart}): removed as above, then brought up again. */
  PnpVetoResult restartDevice(String instancePath);

  /**
   * Adds a driver for a hardware ID ({@code devcon update}, standing in for an INF's install):
   * records in the driver database ({@code DriverDatabase\DeviceIds\<hardware id>}) that devices
   * with {@code driver.hardwareId()} are served by {@code driver.service()} with its filters and
   * class, then installs it on every present bus-enumerated device with that hardware ID that has
   * no driver yet and brings each up; devices plugged in later get it when enumerated. Devices that
   * already have a driver keep it. Needs SeLoadDriverPrivilege.
   *
   * @return the status and the instance paths of the devices it was installed on
   */
  SystemResult<String> updateDriver(DeviceInstall driver);

  /** Pool usage by tag ({@code SystemPoolTagInformation}, poolmon). */
  SystemResult<TagUsage> queryPoolTags();

  /** Pool usage by owning driver or process. */
  SystemResult<OwnerUsage> queryPoolOwners();

  /** The verifier's settings in effect ({@code verifier /querysettings}): one row. */
  SystemResult<VerifierSettings> queryVerifierSettings();

  /**
   * Applies verifier settings now, without persisting them ({@code verifier /volatile},
   * {@code NtSetSystemInformation(SystemVerifierInformation)}): needs SeDebugPrivilege.
   */
  NtStatus setVerifierVolatileSettings(VerifierSettings settings);

  /** Per-driver verifier statistics ({@code verifier /query}). */
  SystemResult<DriverStatistics> queryVerifierStatistics();

  /** The verifier's non-fatal findings, oldest first. */
  SystemResult<VerifierFinding> queryVerifierFindings();

  /**
   * Why this client's kernel halted, once it has: the bug check and its crash report. Empty while
   * the kernel runs, and for a client that has not been told (a remote client learns it from the
   * daemon). After a halt every call answers {@code STATUS_SYSTEM_SHUTDOWN}; this says why.
   */
  default java.util.Optional<KernelHalt> kernelHalt() {
    return java.util.Optional.empty();
  }

  /** Ends this client: its process is run down (pending requests cancelled, handles closed). */
  @Override
  void close();
}
