package ntio.kernel;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.EntryInfo;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.IoResult;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.KeyNameResult;
import ntio.api.LinkTarget;
import ntio.api.Listing;
import ntio.api.LuidAndAttributes;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.api.ValueResult;
import ntio.ddk.Handle;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.Events;
import ntio.kernel.io.IoManager;
import ntio.kernel.io.IoRequest;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;

/**
 * The system services of one kernel: every NT call a client can make, in one place. Models the
 * system service dispatch table ({@code KiServiceTable}) (partial: the calls ntio has so far).
 *
 * <p>Each call names the calling thread explicitly: its process supplies the handle table and
 * token, its previous mode decides whether arguments are captured and access checked. Each call
 * first passes the kernel's gate: once a bug check has halted the kernel, or after shutdown, every
 * call answers {@code STATUS_SYSTEM_SHUTDOWN} and touches nothing.
 */
public final class SystemServices {

  private final Kernel kernel;
  private final ObjectManager objects;
  private final Registry registry;
  private final Events events;
  private final IoManager io;

  SystemServices(Kernel kernel) {
    this.kernel = kernel;
    this.objects = kernel.objects();
    this.registry = kernel.registry();
    this.events = kernel.events();
    this.io = kernel.io();
  }

  private <T> T gate(Supplier<T> call, Function<NtStatus, T> refused) {
    if (!kernel.isRunning()) {
      return refused.apply(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
    try {
      return call.get();
    } catch (BugCheckException e) {
      // The call bug-checked the kernel (a driver fault, say): the crash handler has the record;
      // the caller gets a status, as every later caller will.
      return refused.apply(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
  }

  private NtStatus gate(Supplier<NtStatus> call) {
    return gate(call, status -> status);
  }

  private static OpenResult failedOpen(NtStatus status) {
    return new OpenResult(status, Handle.NULL);
  }

  // Objects ---------------------------------------------------------------------------------------

  /** {@code NtClose}. */
  public NtStatus ntClose(KThread thread, Handle handle) {
    return gate(() -> objects.close(handle, thread));
  }

  /** {@code NtDuplicateObject} between two processes. */
  public OpenResult ntDuplicateObject(KThread thread, KProcess source, Handle handle, KProcess target,
      int desiredAccess, int handleAttributes, int options) {
    return gate(() -> objects.duplicate(source.handleTable(), handle, target.handleTable(),
        desiredAccess, handleAttributes, options, thread), SystemServices::failedOpen);
  }

  /** {@code NtMakeTemporaryObject}. */
  public NtStatus ntMakeTemporaryObject(KThread thread, Handle handle) {
    return gate(() -> objects.ntMakeTemporaryObject(handle, thread));
  }

  /** {@code NtMakePermanentObject}. */
  public NtStatus ntMakePermanentObject(KThread thread, Handle handle) {
    return gate(() -> objects.ntMakePermanentObject(handle, thread));
  }

  /**
   * {@code NtQueryObject}: {@code STATUS_INVALID_HANDLE} when the handle is not the caller's;
   * otherwise the object's header, with ObjectNameInformation's own status (for a file, its
   * driver's answer to FileNameInformation; see {@link ObjectManager#ntQueryObject}).
   */
  public ObjectQuery ntQueryObject(KThread thread, Handle handle) {
    return gate(() -> objects.ntQueryObject(thread, handle), ObjectQuery::failed);
  }

  /** {@code NtCreateDirectoryObject}. */
  public OpenResult ntCreateDirectoryObject(KThread thread, int desiredAccess, ObjectAttributes attributes) {
    return gate(() -> objects.ntCreateDirectoryObject(thread, desiredAccess, attributes), SystemServices::failedOpen);
  }

  /** {@code NtOpenDirectoryObject}. */
  public OpenResult ntOpenDirectoryObject(KThread thread, int desiredAccess, ObjectAttributes attributes) {
    return gate(() -> objects.ntOpenDirectoryObject(thread, desiredAccess, attributes), SystemServices::failedOpen);
  }

  /** {@code NtQueryDirectoryObject}, the whole listing. */
  public Listing ntQueryDirectoryObject(KThread thread, Handle directory) {
    return gate(() -> objects.ntQueryDirectoryObject(thread, directory), status -> new Listing(status, List.of()));
  }

  /** One directory entry's header, as an object browser reads it. */
  public EntryInfo queryDirectoryEntry(KThread thread, Handle directory, String name) {
    return gate(() -> objects.queryEntry(thread, directory, name),
        status -> new EntryInfo(status, null));
  }

  /** {@code NtCreateSymbolicLinkObject}. */
  public OpenResult ntCreateSymbolicLinkObject(KThread thread, int desiredAccess, ObjectAttributes attributes,
      UnicodeString target) {
    return gate(() -> objects.ntCreateSymbolicLinkObject(thread, desiredAccess, attributes, target),
        SystemServices::failedOpen);
  }

  /** {@code NtOpenSymbolicLinkObject}. */
  public OpenResult ntOpenSymbolicLinkObject(KThread thread, int desiredAccess, ObjectAttributes attributes) {
    return gate(() -> objects.ntOpenSymbolicLinkObject(thread, desiredAccess, attributes), SystemServices::failedOpen);
  }

  /** {@code NtQuerySymbolicLinkObject}. */
  public LinkTarget ntQuerySymbolicLinkObject(KThread thread, Handle link) {
    return gate(() -> objects.ntQuerySymbolicLinkObject(thread, link), status -> new LinkTarget(status, null));
  }

  // Registry --------------------------------------------------------------------------------------

  /** {@code NtCreateKey}. */
  public KeyCreateResult ntCreateKey(KThread thread, int desiredAccess, ObjectAttributes attributes, int options) {
    return gate(() -> registry.ntCreateKey(thread, desiredAccess, attributes, options),
        status -> new KeyCreateResult(status, Handle.NULL, 0));
  }

  /** {@code NtOpenKey}. */
  public OpenResult ntOpenKey(KThread thread, int desiredAccess, ObjectAttributes attributes) {
    return gate(() -> registry.ntOpenKey(thread, desiredAccess, attributes), SystemServices::failedOpen);
  }

  /** {@code NtDeleteKey}. */
  public NtStatus ntDeleteKey(KThread thread, Handle key) {
    return gate(() -> registry.ntDeleteKey(thread, key));
  }

  /** {@code NtSetValueKey}. */
  public NtStatus ntSetValueKey(KThread thread, Handle key, UnicodeString valueName, int type, byte[] data) {
    return gate(() -> registry.ntSetValueKey(thread, key, valueName, type, data));
  }

  /** {@code NtQueryValueKey}. */
  public ValueResult ntQueryValueKey(KThread thread, Handle key, UnicodeString valueName) {
    return gate(() -> registry.ntQueryValueKey(thread, key, valueName), status -> new ValueResult(status, null));
  }

  /** {@code NtDeleteValueKey}. */
  public NtStatus ntDeleteValueKey(KThread thread, Handle key, UnicodeString valueName) {
    return gate(() -> registry.ntDeleteValueKey(thread, key, valueName));
  }

  /** {@code NtEnumerateKey}. */
  public KeyNameResult ntEnumerateKey(KThread thread, Handle key, int index) {
    return gate(() -> registry.ntEnumerateKey(thread, key, index), status -> new KeyNameResult(status, null));
  }

  /** {@code NtEnumerateValueKey}. */
  public ValueResult ntEnumerateValueKey(KThread thread, Handle key, int index) {
    return gate(() -> registry.ntEnumerateValueKey(thread, key, index), status -> new ValueResult(status, null));
  }

  /** {@code NtQueryKey}. */
  public KeyInfoResult ntQueryKey(KThread thread, Handle key) {
    return gate(() -> registry.ntQueryKey(thread, key), status -> new KeyInfoResult(status, null));
  }

  /** {@code NtFlushKey}. */
  public NtStatus ntFlushKey(KThread thread, Handle key) {
    return gate(() -> registry.ntFlushKey(thread, key));
  }

  /** A key and its subtree as {@code .reg} text (what regedit does through the NT calls). */
  public RegExportResult exportKey(KThread thread, String keyPath) {
    return gate(() -> registry.exportKey(thread, keyPath),
        status -> new RegExportResult(status, "", "the kernel is not running"));
  }

  /** Imports a {@code .reg} file, all or nothing (what regedit does through the NT calls). */
  public RegImportResult importRegFile(KThread thread, byte[] file) {
    return gate(() -> registry.importFile(thread, file),
        status -> new RegImportResult(status, 0, "the kernel is not running"));
  }

  // Events ----------------------------------------------------------------------------------------

  /** {@code NtCreateEvent}. */
  public OpenResult ntCreateEvent(KThread thread, int desiredAccess, ObjectAttributes attributes,
      EventType type, boolean initialState) {
    return gate(() -> events.ntCreateEvent(thread, desiredAccess, attributes, type, initialState),
        SystemServices::failedOpen);
  }

  /** {@code NtOpenEvent}. */
  public OpenResult ntOpenEvent(KThread thread, int desiredAccess, ObjectAttributes attributes) {
    return gate(() -> events.ntOpenEvent(thread, desiredAccess, attributes), SystemServices::failedOpen);
  }

  /** {@code NtSetEvent}. */
  public EventStateResult ntSetEvent(KThread thread, Handle event) {
    return gate(() -> events.ntSetEvent(thread, event), status -> new EventStateResult(status, false));
  }

  /** {@code NtResetEvent}. */
  public EventStateResult ntResetEvent(KThread thread, Handle event) {
    return gate(() -> events.ntResetEvent(thread, event), status -> new EventStateResult(status, false));
  }

  /** {@code NtPulseEvent}. */
  public EventStateResult ntPulseEvent(KThread thread, Handle event) {
    return gate(() -> events.ntPulseEvent(thread, event), status -> new EventStateResult(status, false));
  }

  /** {@code NtWaitForSingleObject} on an event; null waits forever. */
  public NtStatus ntWaitForSingleObject(KThread thread, Handle event, Duration timeout) {
    return gate(() -> events.ntWaitForSingleObject(thread, event, timeout));
  }

  // Drivers and I/O -------------------------------------------------------------------------------

  /** {@code NtLoadDriver}. */
  public NtStatus ntLoadDriver(KThread thread, UnicodeString serviceKey) {
    return gate(() -> io.loading().ntLoadDriver(thread, serviceKey));
  }

  /** {@code NtLoadDriver}, with the detail of a failure. */
  public ntio.api.DriverLoadResult ntLoadDriverDetailed(KThread thread, UnicodeString serviceKey) {
    return gate(() -> io.loading().ntLoadDriverDetailed(thread, serviceKey),
        ntio.api.DriverLoadResult::of);
  }

  /** {@code NtUnloadDriver}. */
  public NtStatus ntUnloadDriver(KThread thread, UnicodeString serviceKey) {
    return gate(() -> io.loading().ntUnloadDriver(thread, serviceKey));
  }

  /** {@code NtCreateFile} / {@code NtOpenFile} on a device. */
  public OpenResult ntCreateFile(KThread thread, int desiredAccess, ObjectAttributes attributes, int shareAccess,
      int createOptions) {
    return gate(() -> io.fileCalls().ntCreateFile(thread, desiredAccess, attributes, shareAccess, createOptions),
        SystemServices::failedOpen);
  }

  /** {@code NtReadFile}, synchronous. */
  public IoResult ntReadFile(KThread thread, Handle file, int length, long byteOffset) {
    return gate(() -> io.fileCalls().ntReadFile(thread, file, length, byteOffset),
        IoResult::failed);
  }

  /** {@code NtWriteFile}, synchronous. */
  public IoResult ntWriteFile(KThread thread, Handle file, byte[] data, long byteOffset) {
    return gate(() -> io.fileCalls().ntWriteFile(thread, file, data, byteOffset),
        IoResult::failed);
  }

  /** {@code NtDeviceIoControlFile}, synchronous. */
  public IoResult ntDeviceIoControlFile(KThread thread, Handle file, int ioControlCode, byte[] input,
      int outputLength) {
    return gate(() -> io.fileCalls().ntDeviceIoControlFile(thread, file, ioControlCode, input, outputLength),
        IoResult::failed);
  }

  /**
   * {@code NtReadFile} as an overlapped call: the request comes back at once with what the system
   * service returned ({@link IoRequest#returnedStatus()}), {@code STATUS_PENDING} as its status
   * until a driver completes it; {@code completion} (may be null) runs when it does and NT would
   * run the APC. See {@link FileCalls#ntReadFileAsync}.
   */
  public IoRequest ntReadFileAsync(KThread thread, Handle file, int length, long byteOffset,
      IoRequest.IoCompletion completion) {
    return gate(() -> io.fileCalls().ntReadFileAsync(thread, file, length, byteOffset, completion),
        status -> IoRequest.refused(MajorFunctions.IRP_MJ_READ, thread.process(), status));
  }

  /** {@code NtWriteFile} as an overlapped call. See {@link FileCalls#ntWriteFileAsync}. */
  public IoRequest ntWriteFileAsync(KThread thread, Handle file, byte[] data, long byteOffset,
      IoRequest.IoCompletion completion) {
    return gate(() -> io.fileCalls().ntWriteFileAsync(thread, file, data, byteOffset, completion),
        status -> IoRequest.refused(MajorFunctions.IRP_MJ_WRITE, thread.process(), status));
  }

  /**
   * {@code NtDeviceIoControlFile} as an overlapped call. See {@link
   * FileCalls#ntDeviceIoControlFileAsync}.
   */
  public IoRequest ntDeviceIoControlFileAsync(KThread thread, Handle file, int ioControlCode,
      byte[] input, int outputLength, IoRequest.IoCompletion completion) {
    return gate(() -> io.fileCalls().ntDeviceIoControlFileAsync(thread, file, ioControlCode, input,
            outputLength, completion),
        status -> IoRequest.refused(MajorFunctions.IRP_MJ_DEVICE_CONTROL, thread.process(),
            status));
  }

  /** {@code NtQueryInformationFile}. See {@link FileCalls#ntQueryInformationFile}. */
  public IoResult ntQueryInformationFile(KThread thread, Handle file, int informationClass,
      int length) {
    return gate(() -> io.fileCalls().ntQueryInformationFile(thread, file, informationClass, length),
        IoResult::failed);
  }

  /**
   * {@code NtQueryVolumeInformationFile}. See {@link FileCalls#ntQueryVolumeInformationFile}.
   */
  public IoResult ntQueryVolumeInformationFile(KThread thread, Handle file,
      int fsInformationClass, int length) {
    return gate(() -> io.fileCalls().ntQueryVolumeInformationFile(thread, file, fsInformationClass,
        length), IoResult::failed);
  }

  /** {@code NtSetInformationFile}. See {@link FileCalls#ntSetInformationFile}. */
  public IoResult ntSetInformationFile(KThread thread, Handle file, int informationClass,
      byte[] data) {
    return gate(() -> io.fileCalls().ntSetInformationFile(thread, file, informationClass, data),
        IoResult::failed);
  }

  /** {@code NtFlushBuffersFile}. See {@link FileCalls#ntFlushBuffersFile}. */
  public NtStatus ntFlushBuffersFile(KThread thread, Handle file) {
    return gate(() -> io.fileCalls().ntFlushBuffersFile(thread, file));
  }

  /**
   * {@code NtOpenFile}: {@link #ntCreateFile} for an object that must already exist, which every
   * device does. Models {@code NtOpenFile} (full for devices).
   */
  public OpenResult ntOpenFile(KThread thread, int desiredAccess, ObjectAttributes attributes,
      int shareAccess, int openOptions) {
    return ntCreateFile(thread, desiredAccess, attributes, shareAccess, openOptions);
  }

  /** {@code NtCancelIoFile}. See {@link FileCalls#ntCancelIoFile}. */
  public NtStatus ntCancelIoFile(KThread thread, Handle file) {
    return gate(() -> io.fileCalls().ntCancelIoFile(thread, file));
  }

  /** {@code NtCancelIoFileEx}. See {@link FileCalls#ntCancelIoFileEx}. */
  public NtStatus ntCancelIoFileEx(KThread thread, Handle file, IoRequest request) {
    return gate(() -> io.fileCalls().ntCancelIoFileEx(thread, file, request));
  }

  // Tokens and processes --------------------------------------------------------------------------

  /**
   * {@code NtAdjustPrivilegesToken} on the calling process's own token (partial: the token is the
   * process's primary token rather than one named by a handle).
   */
  public AdjustPrivilegesResult ntAdjustPrivilegesToken(KThread thread, List<LuidAndAttributes> newState) {
    return gate(() -> thread.token().adjustPrivileges(newState),
        status -> new AdjustPrivilegesResult(status, List.of()));
  }

  /**
   * {@code NtTerminateProcess}: runs the process down (partial: a user-mode caller may terminate
   * only its own process, having no process handles to name another; kernel mode may terminate
   * any).
   */
  public NtStatus ntTerminateProcess(KThread thread, KProcess process, NtStatus exitStatus) {
    if (thread.isUserMode() && thread.process() != process) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    return gate(() -> kernel.processes().terminate(process, exitStatus));
  }
}
