package ntio.host.wire;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.DriverLoadResult;
import ntio.api.DriverHolders;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.HandleEntry;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.PnpVetoResult;
import ntio.api.SystemResult;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;

/**
 * The object-manager, holder and handle listing, event, file-information and Plug and Play calls of {@link RemoteNt}, each one request
 * answered by one reply, over the transport {@link RemoteNt} supplies through {@link #call}. Kept
 * apart so that each file holds one concern: here what each of these calls sends and reads back,
 * in {@code RemoteNt} the connection and the rest of the calls. Package-private: {@link NtApi} is
 * the public surface, and {@code RemoteNt} the only subclass.
 *
 * <p>A wait longer than {@link ServerCalls#MAX_WAIT} (or forever) is made as a series of waits of
 * at most that long, each a request of its own, until one is satisfied or the caller's timeout has
 * passed: the daemon never holds a call worker longer than that for one wait. A {@code
 * NtPulseEvent} that falls between two of them is not seen, as a pulse is not seen by a waiter
 * that is not waiting at that instant (Windows documents {@code PulseEvent} as unreliable for the
 * same reason).
 */
abstract sealed class AbstractRemoteNt implements NtApi permits RemoteNt {

  /** Timeouts longer than this wait as long as an endless one, in practice. */
  private static final Duration LONGEST_TIMEOUT = Duration.ofDays(36_500);

  /** The halt the daemon told of (a HALT frame), or null while it has told none. */
  private volatile ntio.api.KernelHalt halt;

  /** What the daemon's HALT frame said; the first one is kept. */
  final void noteHalt(ntio.api.KernelHalt told) {
    if (halt == null) {
      halt = told;
    }
  }

  @Override
  public final java.util.Optional<ntio.api.KernelHalt> kernelHalt() {
    return java.util.Optional.ofNullable(halt);
  }

  /** Sends one request and returns its decoded reply, or {@code failed} of the status of an ERROR. */
  abstract <R> R call(Opcode op, Consumer<WireWriter> arguments, Function<WireReader, R> decode,
      Function<NtStatus, R> failed);

  // Objects --------------------------------------------------------------------------------------

  @Override
  public OpenResult duplicateObject(Handle source, int desiredAccess, int handleAttributes, int options) {
    return call(Opcode.DUPLICATE_OBJECT,
        out -> Codec.writeHandle(out, source).i32(desiredAccess).i32(handleAttributes).i32(options),
        Codec::readOpenResult, AbstractRemoteNt::failedOpen);
  }

  @Override
  public NtStatus makeTemporaryObject(Handle handle) {
    return status(Opcode.MAKE_TEMPORARY_OBJECT, out -> Codec.writeHandle(out, handle));
  }

  @Override
  public NtStatus makePermanentObject(Handle handle) {
    return status(Opcode.MAKE_PERMANENT_OBJECT, out -> Codec.writeHandle(out, handle));
  }

  @Override
  public OpenResult createDirectoryObject(int desiredAccess, ObjectAttributes attributes) {
    return open(Opcode.CREATE_DIRECTORY_OBJECT, desiredAccess, attributes);
  }

  @Override
  public OpenResult createSymbolicLinkObject(int desiredAccess, ObjectAttributes attributes,
      UnicodeString target) {
    return call(Opcode.CREATE_SYMBOLIC_LINK_OBJECT, out -> {
      out.i32(desiredAccess);
      Codec.writeObjectAttributes(out, attributes);
      Codec.writeUnicodeString(out, target);
    }, Codec::readOpenResult, AbstractRemoteNt::failedOpen);
  }

  // Holders and handles --------------------------------------------------------------------------

  @Override
  public DriverHolders queryDriverHolders(String serviceName) {
    return call(Opcode.QUERY_DRIVER_HOLDERS, out -> out.string(serviceName), HolderCodec::readDriverHolders,
        DriverHolders::failed);
  }

  @Override
  public SystemResult<HandleEntry> queryHandles() {
    return call(Opcode.QUERY_HANDLES, out -> {},
        in -> Codec.readSystemResult(in, HolderCodec.MIN_HANDLE_BYTES, HolderCodec::readHandleEntry),
        SystemResult::failed);
  }

  // Events ---------------------------------------------------------------------------------------

  @Override
  public OpenResult createEvent(int desiredAccess, ObjectAttributes attributes, EventType type,
      boolean initialState) {
    return call(Opcode.CREATE_EVENT, out -> {
      out.i32(desiredAccess);
      Codec.writeObjectAttributes(out, attributes);
      Codec.writeEventType(out, type);
      out.bool(initialState);
    }, Codec::readOpenResult, AbstractRemoteNt::failedOpen);
  }

  @Override
  public OpenResult openEvent(int desiredAccess, ObjectAttributes attributes) {
    return open(Opcode.OPEN_EVENT, desiredAccess, attributes);
  }

  @Override
  public EventStateResult setEvent(Handle event) {
    return changeEvent(Opcode.SET_EVENT, event);
  }

  @Override
  public EventStateResult resetEvent(Handle event) {
    return changeEvent(Opcode.RESET_EVENT, event);
  }

  @Override
  public EventStateResult pulseEvent(Handle event) {
    return changeEvent(Opcode.PULSE_EVENT, event);
  }

  private EventStateResult changeEvent(Opcode op, Handle event) {
    return call(op, out -> Codec.writeHandle(out, event), Codec::readStateResult,
        status -> new EventStateResult(status, false));
  }

  @Override
  public NtStatus waitForSingleObject(Handle event, Duration timeout) {
    if (timeout != null && timeout.compareTo(ServerCalls.MAX_WAIT) <= 0) {
      return waitOnce(event, timeout); // zero, short and negative timeouts: one request decides
    }
    long deadline = timeout == null ? 0 : System.nanoTime() + saturatedNanos(timeout);
    while (true) {
      Duration slice = ServerCalls.MAX_WAIT;
      if (timeout != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return NtStatus.STATUS_TIMEOUT;
        }
        slice = Duration.ofNanos(Math.min(left, ServerCalls.MAX_WAIT.toNanos()));
      }
      NtStatus status = waitOnce(event, slice);
      if (!status.equals(NtStatus.STATUS_TIMEOUT)) {
        return status;
      }
    }
  }

  private NtStatus waitOnce(Handle event, Duration timeout) {
    return status(Opcode.WAIT_FOR_SINGLE_OBJECT, out -> {
      Codec.writeHandle(out, event);
      Codec.writeTimeout(out, timeout);
    });
  }

  /** A timeout in nanoseconds, capped at a century so that a deadline made from it cannot overflow. */
  private static long saturatedNanos(Duration timeout) {
    return timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT.toNanos() : timeout.toNanos();
  }

  // Files ----------------------------------------------------------------------------------------

  @Override
  public OpenResult openFile(int desiredAccess, ObjectAttributes attributes, int shareAccess, int openOptions) {
    return call(Opcode.OPEN_FILE, out -> {
      out.i32(desiredAccess);
      Codec.writeObjectAttributes(out, attributes);
      out.i32(shareAccess).i32(openOptions);
    }, Codec::readOpenResult, AbstractRemoteNt::failedOpen);
  }

  @Override
  public IoResult queryInformationFile(Handle file, int informationClass, int length) {
    return call(Opcode.QUERY_INFORMATION_FILE,
        out -> Codec.writeHandle(out, file).i32(informationClass).i32(length),
        Codec::readIoResult, AbstractRemoteNt::failedIo);
  }

  @Override
  public IoResult queryVolumeInformationFile(Handle file, int fsInformationClass, int length) {
    return call(Opcode.QUERY_VOLUME_INFORMATION_FILE,
        out -> Codec.writeHandle(out, file).i32(fsInformationClass).i32(length),
        Codec::readIoResult, AbstractRemoteNt::failedIo);
  }

  @Override
  public IoResult setInformationFile(Handle file, int informationClass, byte[] data) {
    return call(Opcode.SET_INFORMATION_FILE,
        out -> Codec.writeHandle(out, file).i32(informationClass).bytes(data),
        Codec::readIoResult, AbstractRemoteNt::failedIo);
  }

  // Drivers --------------------------------------------------------------------------------------

  @Override
  public DriverLoadResult loadDriverDetailed(UnicodeString serviceKey) {
    return call(Opcode.LOAD_DRIVER_DETAILED, out -> Codec.writeUnicodeString(out, serviceKey),
        DriverLoadCodec::read, DriverLoadResult::of);
  }

  // Plug and Play (protocol version 6) ------------------------------------------------------------

  @Override
  public SystemResult<DevNodeInfo> queryDeviceTree() {
    return call(Opcode.QUERY_DEVICE_TREE, out -> {}, PnpCodec::readDeviceTree, SystemResult::failed);
  }

  @Override
  public PnpVetoResult removeDevice(String instancePath) {
    return vetoable(Opcode.REMOVE_DEVICE, instancePath);
  }

  @Override
  public DeviceInstallResult installDevice(DeviceInstall install) {
    return call(Opcode.INSTALL_DEVICE, out -> PnpCodec.writeInstall(out, install), PnpCodec::readInstallResult,
        DeviceInstallResult::failed);
  }

  @Override
  public PnpVetoResult disableDevice(String instancePath) {
    return vetoable(Opcode.DISABLE_DEVICE, instancePath);
  }

  @Override
  public NtStatus enableDevice(String instancePath) {
    return status(Opcode.ENABLE_DEVICE, out -> out.string(instancePath));
  }

  @Override
  public PnpVetoResult restartDevice(String instancePath) {
    return vetoable(Opcode.RESTART_DEVICE, instancePath);
  }

  @Override
  public SystemResult<String> updateDriver(DeviceInstall driver) {
    return call(Opcode.UPDATE_DRIVER, out -> PnpCodec.writeInstall(out, driver), PnpCodec::readUpdated,
        SystemResult::failed);
  }

  private PnpVetoResult vetoable(Opcode op, String instancePath) {
    return call(op, out -> out.string(instancePath), PnpCodec::readVetoResult, PnpVetoResult::of);
  }

  // Shared by the calls of both classes ----------------------------------------------------------

  /** A call that opens by {@code desiredAccess} and {@code attributes}, answering an OpenResult. */
  OpenResult open(Opcode op, int desiredAccess, ObjectAttributes attributes) {
    return call(op, out -> {
      out.i32(desiredAccess);
      Codec.writeObjectAttributes(out, attributes);
    }, Codec::readOpenResult, AbstractRemoteNt::failedOpen);
  }

  /** A call whose reply is a status alone. */
  NtStatus status(Opcode op, Consumer<WireWriter> arguments) {
    return call(op, arguments, Codec::readStatus, status -> status);
  }

  static OpenResult failedOpen(NtStatus status) {
    return new OpenResult(status, Handle.NULL);
  }

  static IoResult failedIo(NtStatus status) {
    return IoResult.failed(status);
  }
}
