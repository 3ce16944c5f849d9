package ntio.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.DeviceInfo;
import ntio.api.DriverHolders;
import ntio.api.DriverInfo;
import ntio.api.DriverStatistics;
import ntio.api.EntryInfo;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.HandleEntry;
import ntio.api.IoResult;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.KeyNameResult;
import ntio.api.LinkTarget;
import ntio.api.Listing;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.api.OwnerUsage;
import ntio.api.PendingIo;
import ntio.api.Privilege;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.api.SystemResult;
import ntio.api.TagUsage;
import ntio.api.TokenInfo;
import ntio.api.ValueResult;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.IoManager;
import ntio.kernel.io.IoRequest;
import ntio.kernel.process.KThread;
import ntio.kernel.security.PrivilegeAndAttributes;
import ntio.kernel.security.Sid;
import ntio.kernel.security.SidAndAttributes;
import ntio.kernel.security.Token;

/**
 * {@link NtApi} on a kernel in this process, for one user-mode client process: what {@code ntio
 * --embedded} uses, and what the daemon makes each connection's calls through.
 */
public final class LocalNt implements NtApi {

  private final Kernel kernel;
  private final SystemServices nt;
  private final KThread thread;
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final Map<Long, IoRequest> pending = new ConcurrentHashMap<>();

  /**
   * A client whose calls are made by {@code thread}, a user-mode thread of the client's process.
   */
  public LocalNt(Kernel kernel, KThread thread) {
    this.kernel = kernel;
    this.nt = kernel.services();
    this.thread = thread;
  }

  /**
   * A new client process holding an administrator token for the Unix user {@code unixUid}: what an
   * administrator's tool gets ({@link Kernel#administratorSession}).
   */
  public static LocalNt administrator(Kernel kernel, String processName, int unixUid) {
    return new LocalNt(kernel, kernel.administratorSession(processName, Sid.unixUser(unixUid)));
  }

  /** A new client process holding a standard user's token for the Unix user {@code unixUid}. */
  public static LocalNt standardUser(Kernel kernel, String processName, int unixUid) {
    return new LocalNt(kernel, kernel.userSession(processName, Sid.unixUser(unixUid)));
  }

  /** The kernel. */
  public Kernel kernel() {
    return kernel;
  }

  /** The client's thread (its process, token and handle table). */
  public KThread thread() {
    return thread;
  }

  /** The id of the client's process, as listings and the daemon's handshake show it. */
  public int processId() {
    return thread.process().id();
  }

  /**
   * Records the Unix process this client's kernel process stands for, as the host established it
   * at the handshake; listings of handles and holders show it next to {@link #processId()}.
   */
  public void recordUnixPid(ntio.api.UnixPid pid) {
    thread.process().setUnixPid(pid);
  }

  /** The client process's pool quota, for what a host charges on the process's behalf. */
  public ProcessQuota quota() {
    return new ProcessQuota(thread.process().quotaBlock());
  }

  // The client process ---------------------------------------------------------------------------

  @Override
  public java.nio.file.Path stateDirectory() {
    return kernel.stateDirectory();
  }

  @Override
  public TokenInfo queryToken() {
    Token token = thread.token();
    List<TokenInfo.Group> groups = new ArrayList<>();
    for (SidAndAttributes group : token.groups()) {
      groups.add(new TokenInfo.Group(group.sid().displayName(), group.sid().toString(), group.isEnabled()));
    }
    List<TokenInfo.Privilege> privileges = new ArrayList<>();
    for (PrivilegeAndAttributes p : token.privileges()) {
      privileges.add(new TokenInfo.Privilege(p.privilege().value(), p.privilege().privilegeName(),
          p.privilege().displayName(), (p.attributes() & LuidAndAttributes.SE_PRIVILEGE_ENABLED) != 0));
    }
    return new TokenInfo(thread.process().id(), thread.process().name(), token.user().displayName(),
        token.user().toString(), token.isElevated(), groups, privileges);
  }

  @Override
  public AdjustPrivilegesResult adjustPrivileges(List<LuidAndAttributes> newState) {
    return nt.ntAdjustPrivilegesToken(thread, newState);
  }

  // Objects --------------------------------------------------------------------------------------

  @Override
  public NtStatus close(Handle handle) {
    return nt.ntClose(thread, handle);
  }

  @Override
  public OpenResult duplicateObject(Handle source, int desiredAccess, int handleAttributes, int options) {
    // NtCurrentProcess() as both processes: a client's handles are its own process's.
    return nt.ntDuplicateObject(thread, thread.process(), source, thread.process(), desiredAccess,
        handleAttributes, options);
  }

  @Override
  public NtStatus makeTemporaryObject(Handle handle) {
    return nt.ntMakeTemporaryObject(thread, handle);
  }

  @Override
  public NtStatus makePermanentObject(Handle handle) {
    return nt.ntMakePermanentObject(thread, handle);
  }

  @Override
  public OpenResult createDirectoryObject(int desiredAccess, ObjectAttributes attributes) {
    return nt.ntCreateDirectoryObject(thread, desiredAccess, attributes);
  }

  @Override
  public OpenResult openDirectoryObject(int desiredAccess, ObjectAttributes attributes) {
    return nt.ntOpenDirectoryObject(thread, desiredAccess, attributes);
  }

  @Override
  public Listing queryDirectoryObject(Handle directory) {
    return nt.ntQueryDirectoryObject(thread, directory);
  }

  @Override
  public EntryInfo queryDirectoryEntry(Handle directory, String name) {
    return nt.queryDirectoryEntry(thread, directory, name);
  }

  @Override
  public ObjectQuery queryObject(Handle handle) {
    return nt.ntQueryObject(thread, handle);
  }

  @Override
  public OpenResult createSymbolicLinkObject(int desiredAccess, ObjectAttributes attributes,
      UnicodeString target) {
    return nt.ntCreateSymbolicLinkObject(thread, desiredAccess, attributes, target);
  }

  @Override
  public OpenResult openSymbolicLinkObject(int desiredAccess, ObjectAttributes attributes) {
    return nt.ntOpenSymbolicLinkObject(thread, desiredAccess, attributes);
  }

  @Override
  public LinkTarget querySymbolicLinkObject(Handle link) {
    return nt.ntQuerySymbolicLinkObject(thread, link);
  }

  // Events ---------------------------------------------------------------------------------------

  @Override
  public OpenResult createEvent(int desiredAccess, ObjectAttributes attributes, EventType type,
      boolean initialState) {
    return nt.ntCreateEvent(thread, desiredAccess, attributes, type, initialState);
  }

  @Override
  public OpenResult openEvent(int desiredAccess, ObjectAttributes attributes) {
    return nt.ntOpenEvent(thread, desiredAccess, attributes);
  }

  @Override
  public EventStateResult setEvent(Handle event) {
    return nt.ntSetEvent(thread, event);
  }

  @Override
  public EventStateResult resetEvent(Handle event) {
    return nt.ntResetEvent(thread, event);
  }

  @Override
  public EventStateResult pulseEvent(Handle event) {
    return nt.ntPulseEvent(thread, event);
  }

  @Override
  public NtStatus waitForSingleObject(Handle event, Duration timeout) {
    return nt.ntWaitForSingleObject(thread, event, timeout);
  }

  // Registry -------------------------------------------------------------------------------------

  @Override
  public KeyCreateResult createKey(int desiredAccess, ObjectAttributes attributes, int createOptions) {
    return nt.ntCreateKey(thread, desiredAccess, attributes, createOptions);
  }

  @Override
  public OpenResult openKey(int desiredAccess, ObjectAttributes attributes) {
    return nt.ntOpenKey(thread, desiredAccess, attributes);
  }

  @Override
  public NtStatus deleteKey(Handle key) {
    return nt.ntDeleteKey(thread, key);
  }

  @Override
  public NtStatus setValueKey(Handle key, UnicodeString valueName, int type, byte[] data) {
    return nt.ntSetValueKey(thread, key, valueName, type, data);
  }

  @Override
  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    return nt.ntQueryValueKey(thread, key, valueName);
  }

  @Override
  public NtStatus deleteValueKey(Handle key, UnicodeString valueName) {
    return nt.ntDeleteValueKey(thread, key, valueName);
  }

  @Override
  public KeyNameResult enumerateKey(Handle key, int index) {
    return nt.ntEnumerateKey(thread, key, index);
  }

  @Override
  public ValueResult enumerateValueKey(Handle key, int index) {
    return nt.ntEnumerateValueKey(thread, key, index);
  }

  @Override
  public KeyInfoResult queryKey(Handle key) {
    return nt.ntQueryKey(thread, key);
  }

  @Override
  public NtStatus flushKey(Handle key) {
    return nt.ntFlushKey(thread, key);
  }

  @Override
  public RegExportResult exportKey(String keyPath) {
    return nt.exportKey(thread, keyPath);
  }

  @Override
  public RegImportResult importRegFile(byte[] file) {
    return nt.importRegFile(thread, file);
  }

  // Drivers --------------------------------------------------------------------------------------

  @Override
  public NtStatus loadDriver(UnicodeString serviceKey) {
    return nt.ntLoadDriver(thread, serviceKey);
  }

  @Override
  public ntio.api.DriverLoadResult loadDriverDetailed(UnicodeString serviceKey) {
    return nt.ntLoadDriverDetailed(thread, serviceKey);
  }

  @Override
  public NtStatus unloadDriver(UnicodeString serviceKey) {
    return nt.ntUnloadDriver(thread, serviceKey);
  }

  // Files ----------------------------------------------------------------------------------------

  @Override
  public OpenResult createFile(int desiredAccess, ObjectAttributes attributes, int shareAccess, int createOptions) {
    return nt.ntCreateFile(thread, desiredAccess, attributes, shareAccess, createOptions);
  }

  @Override
  public OpenResult openFile(int desiredAccess, ObjectAttributes attributes, int shareAccess, int openOptions) {
    return nt.ntOpenFile(thread, desiredAccess, attributes, shareAccess, openOptions);
  }

  @Override
  public IoResult queryInformationFile(Handle file, int informationClass, int length) {
    return nt.ntQueryInformationFile(thread, file, informationClass, length);
  }

  @Override
  public IoResult queryVolumeInformationFile(Handle file, int fsInformationClass, int length) {
    return nt.ntQueryVolumeInformationFile(thread, file, fsInformationClass, length);
  }

  @Override
  public IoResult setInformationFile(Handle file, int informationClass, byte[] data) {
    return nt.ntSetInformationFile(thread, file, informationClass, data);
  }

  @Override
  public IoResult readFile(Handle file, int length, long byteOffset) {
    return nt.ntReadFile(thread, file, length, byteOffset);
  }

  @Override
  public IoResult writeFile(Handle file, byte[] data, long byteOffset) {
    return nt.ntWriteFile(thread, file, data, byteOffset);
  }

  @Override
  public IoResult deviceIoControlFile(Handle file, int ioControlCode, byte[] input, int outputLength) {
    return nt.ntDeviceIoControlFile(thread, file, ioControlCode, input, outputLength);
  }

  @Override
  public PendingIo readFileAsync(Handle file, int length, long byteOffset) {
    return overlapped(completion -> nt.ntReadFileAsync(thread, file, length, byteOffset, completion));
  }

  @Override
  public PendingIo writeFileAsync(Handle file, byte[] data, long byteOffset) {
    return overlapped(completion -> nt.ntWriteFileAsync(thread, file, data, byteOffset, completion));
  }

  @Override
  public PendingIo deviceIoControlFileAsync(Handle file, int ioControlCode, byte[] input, int outputLength) {
    return overlapped(completion ->
        nt.ntDeviceIoControlFileAsync(thread, file, ioControlCode, input, outputLength, completion));
  }

  /**
   * Issues an overlapped call and completes the future once the request is finished ({@link
   * IoRequest#outcome()}), whether or not NT delivers a completion for it (the result's {@link
   * IoResult#ioStatusWritten()} tells). A request still pending is kept under its id until it is
   * finished, so that a cancel naming the id finds it.
   */
  private PendingIo overlapped(java.util.function.Function<IoRequest.IoCompletion, IoRequest> call) {
    long id = nextRequestId.getAndIncrement();
    CompletableFuture<IoResult> future = new CompletableFuture<>();
    IoRequest request = call.apply(null);
    pending.put(id, request);
    request.outcome().thenAccept(done -> {
      pending.remove(id);
      future.complete(new IoResult(done.status(), done.information(), done.data(),
          done.ioStatusWritten(), done.status()));
    });
    return new PendingIo(id, request.returnedStatus(), future);
  }

  @Override
  public NtStatus cancelIoFile(Handle file) {
    return nt.ntCancelIoFile(thread, file);
  }

  @Override
  public NtStatus cancelIoFileEx(Handle file, long requestId) {
    IoRequest request = pending.get(requestId);
    if (request == null) {
      // NtCancelIoFileEx with an IoRequestToCancel that matches nothing of this file.
      return NtStatus.STATUS_NOT_FOUND;
    }
    return nt.ntCancelIoFileEx(thread, file, request);
  }

  @Override
  public NtStatus flushBuffersFile(Handle file) {
    return nt.ntFlushBuffersFile(thread, file);
  }

  // System information ---------------------------------------------------------------------------

  @Override
  public SystemResult<DriverInfo> queryDrivers() {
    return whileRunning(() -> kernel.io().drivers());
  }

  @Override
  public SystemResult<DeviceInfo> queryDevice(String devicePath) {
    if (!kernel.isRunning()) {
      return SystemResult.failed(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
    IoManager.DeviceLookup found = kernel.io().describeDevice(devicePath);
    return found.status().isSuccess()
        ? new SystemResult<>(found.status(), List.of(found.device()))
        : SystemResult.failed(found.status());
  }

  @Override
  public DriverHolders queryDriverHolders(String serviceName) {
    if (!kernel.isRunning()) {
      return DriverHolders.failed(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
    return kernel.io().holders().ofService(serviceName, thread);
  }

  @Override
  public SystemResult<HandleEntry> queryHandles() {
    return whileRunning(() -> kernel.io().holders().handles(thread));
  }

  // Plug and Play: see LocalPnp ------------------------------------------------------------------

  @Override
  public SystemResult<ntio.api.DevNodeInfo> queryDeviceTree() {
    return new LocalPnp(kernel, thread).queryDeviceTree();
  }

  @Override
  public ntio.api.DeviceInstallResult installDevice(ntio.api.DeviceInstall install) {
    return new LocalPnp(kernel, thread).installDevice(install);
  }

  @Override
  public ntio.api.PnpVetoResult removeDevice(String instancePath) {
    return new LocalPnp(kernel, thread).removeDevice(instancePath);
  }

  @Override
  public ntio.api.PnpVetoResult disableDevice(String instancePath) {
    return new LocalPnp(kernel, thread).disableDevice(instancePath);
  }

  @Override
  public NtStatus enableDevice(String instancePath) {
    return new LocalPnp(kernel, thread).enableDevice(instancePath);
  }

  @Override
  public ntio.api.PnpVetoResult restartDevice(String instancePath) {
    return new LocalPnp(kernel, thread).restartDevice(instancePath);
  }

  @Override
  public SystemResult<String> updateDriver(ntio.api.DeviceInstall driver) {
    return new LocalPnp(kernel, thread).updateDriver(driver);
  }

  @Override
  public SystemResult<TagUsage> queryPoolTags() {
    return whileRunning(() -> kernel.pool().usageByTag());
  }

  @Override
  public SystemResult<OwnerUsage> queryPoolOwners() {
    return whileRunning(() -> kernel.pool().usageByOwner());
  }

  @Override
  public SystemResult<VerifierSettings> queryVerifierSettings() {
    return whileRunning(() -> List.of(kernel.io().verifier().settings()));
  }

  @Override
  public NtStatus setVerifierVolatileSettings(VerifierSettings settings) {
    if (!kernel.isRunning()) {
      return NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    // NtSetSystemInformation(SystemVerifierInformation) is SeDebugPrivilege's to make.
    if (thread.isUserMode() && !thread.token().isPrivilegeEnabled(Privilege.SE_DEBUG_PRIVILEGE)) {
      return NtStatus.STATUS_PRIVILEGE_NOT_HELD;
    }
    kernel.io().verifier().setVolatileSettings(settings);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public SystemResult<DriverStatistics> queryVerifierStatistics() {
    return whileRunning(() -> kernel.io().verifier().query());
  }

  @Override
  public SystemResult<VerifierFinding> queryVerifierFindings() {
    return whileRunning(() -> kernel.io().verifier().findings());
  }

  /**
   * A system information query: its rows, or {@code STATUS_SYSTEM_SHUTDOWN} once the kernel
   * stopped serving calls (the system service gate's answer).
   */
  private <T> SystemResult<T> whileRunning(java.util.function.Supplier<List<T>> rows) {
    if (!kernel.isRunning()) {
      return SystemResult.failed(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
    return new SystemResult<>(NtStatus.STATUS_SUCCESS, rows.get());
  }

  @Override
  public java.util.Optional<ntio.api.KernelHalt> kernelHalt() {
    return kernel.haltReason();
  }

  @Override
  public void close() {
    if (kernel.isRunning()) {
      kernel.processes().terminate(thread.process(), NtStatus.STATUS_SUCCESS);
    }
  }
}
