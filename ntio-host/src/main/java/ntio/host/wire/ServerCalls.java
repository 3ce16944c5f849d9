package ntio.host.wire;

import java.time.Duration;
import java.util.List;
import java.util.function.LongUnaryOperator;
import ntio.api.EventType;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.PendingIo;
import ntio.api.VerifierSettings;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;

/**
 * The server's half of every call: decodes a request's payload into a call ready to be made on a
 * client's {@link NtApi}, and writes its result as the reply's payload. Decoding is complete before
 * anything is called: a malformed request raises {@link WireException} and reaches no kernel.
 */
public final class ServerCalls {

  /**
   * The longest a {@code WAIT_FOR_SINGLE_OBJECT} waits on the server: a longer or infinite timeout
   * is cut to it, and the call answers {@code STATUS_TIMEOUT} when it passes. A wait holds one of
   * the connection's call workers and a reference to its object, which neither the client's
   * disconnect nor the daemon's shutdown can take back from a wait that is not alertable; the cut
   * bounds how long they wait for it. {@link RemoteNt} waits longer by asking again.
   */
  public static final Duration MAX_WAIT = Duration.ofSeconds(1);

  private ServerCalls() {}

  /** A decoded request. */
  public sealed interface Decoded permits Sync, Overlapped {

    /**
     * The bytes the call asks the kernel to allocate for its output: a read's length, a device
     * control's output buffer length, a query information call's length; 0 for every other call. Never negative (a negative length
     * goes to the kernel to refuse, and allocates nothing). The daemon charges it to the client's
     * quota before making the call.
     */
    int outputBytes();
  }

  /**
   * A call that answers with one REPLY.
   *
   * @param call makes the call on the client's API; {@code requestIds} maps a wire request id to
   *     the id of the overlapped request the API issued for it (for {@code NtCancelIoFileEx}); it
   *     writes the result into the reply
   */
  public record Sync(SyncCall call, int outputBytes) implements Decoded {

    /** A call that asks for no output buffer. */
    public Sync(SyncCall call) {
      this(call, 0);
    }
  }

  /**
   * An overlapped call: issued at once (REPLY with no payload), completed later (COMPLETION with
   * an {@code IoResult}).
   */
  public record Overlapped(java.util.function.Function<NtApi, PendingIo> issue, int outputBytes)
      implements Decoded {

    /** An overlapped call that asks for no output buffer. */
    public Overlapped(java.util.function.Function<NtApi, PendingIo> issue) {
      this(issue, 0);
    }
  }

  /** Makes a synchronous call and writes its reply payload. */
  @FunctionalInterface
  public interface SyncCall {
    /** Makes the call on {@code api} and writes the result into {@code reply}. */
    void invoke(NtApi api, LongUnaryOperator requestIds, WireWriter reply);
  }

  /**
   * Decodes a request.
   *
   * @throws WireException if the payload does not hold exactly the call's arguments, or holds
   *     values the protocol cannot carry (a read longer than {@link Codec#MAX_IO_BYTES}, …)
   */
  public static Decoded decode(Opcode op, byte[] payload) {
    WireReader in = new WireReader(payload);
    try {
      Decoded decoded = decode(op, in);
      in.expectEnd();
      return decoded;
    } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
      // A record's own check refused the values: the request is malformed.
      throw new WireException(op + ": " + e.getMessage(), e);
    }
  }

  private static Decoded decode(Opcode op, WireReader in) {
    return switch (op) {
      case QUERY_TOKEN -> sync((api, out) -> Codec.writeTokenInfo(out, api.queryToken()));
      case ADJUST_PRIVILEGES -> {
        List<LuidAndAttributes> state = in.listOrNull(12, Codec::readLuidAndAttributes);
        yield sync((api, out) -> Codec.writeAdjustPrivilegesResult(out, api.adjustPrivileges(state)));
      }
      case CLOSE -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.close(h)));
      }
      case OPEN_DIRECTORY_OBJECT -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        yield sync((api, out) -> Codec.writeOpenResult(out, api.openDirectoryObject(access, oa)));
      }
      case QUERY_DIRECTORY_OBJECT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeListing(out, api.queryDirectoryObject(h)));
      }
      case QUERY_DIRECTORY_ENTRY -> {
        Handle h = Codec.readHandle(in);
        String name = in.stringOrNull();
        yield sync((api, out) -> Codec.writeEntryInfo(out, api.queryDirectoryEntry(h, name)));
      }
      case QUERY_OBJECT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeObjectQuery(out, api.queryObject(h)));
      }
      case DUPLICATE_OBJECT -> {
        Handle h = Codec.readHandle(in);
        int access = in.i32();
        int attributes = in.i32();
        int options = in.i32();
        yield sync((api, out) ->
            Codec.writeOpenResult(out, api.duplicateObject(h, access, attributes, options)));
      }
      case CREATE_DIRECTORY_OBJECT -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        yield sync((api, out) -> Codec.writeOpenResult(out, api.createDirectoryObject(access, oa)));
      }
      case CREATE_SYMBOLIC_LINK_OBJECT -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        UnicodeString target = Codec.readUnicodeString(in);
        yield sync((api, out) ->
            Codec.writeOpenResult(out, api.createSymbolicLinkObject(access, oa, target)));
      }
      case MAKE_TEMPORARY_OBJECT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.makeTemporaryObject(h)));
      }
      case MAKE_PERMANENT_OBJECT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.makePermanentObject(h)));
      }
      case OPEN_SYMBOLIC_LINK_OBJECT -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        yield sync((api, out) -> Codec.writeOpenResult(out, api.openSymbolicLinkObject(access, oa)));
      }
      case QUERY_SYMBOLIC_LINK_OBJECT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeLinkTarget(out, api.querySymbolicLinkObject(h)));
      }
      case CREATE_KEY -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        int options = in.i32();
        yield sync((api, out) -> Codec.writeCreateResult(out, api.createKey(access, oa, options)));
      }
      case OPEN_KEY -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        yield sync((api, out) -> Codec.writeOpenResult(out, api.openKey(access, oa)));
      }
      case DELETE_KEY -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.deleteKey(h)));
      }
      case SET_VALUE_KEY -> {
        Handle h = Codec.readHandle(in);
        UnicodeString name = Codec.readUnicodeString(in);
        int type = in.i32();
        byte[] data = in.bytesOrNull(FrameCodec.MAX_PAYLOAD_BYTES);
        yield sync((api, out) -> Codec.writeStatus(out, api.setValueKey(h, name, type, data)));
      }
      case QUERY_VALUE_KEY -> {
        Handle h = Codec.readHandle(in);
        UnicodeString name = Codec.readUnicodeString(in);
        yield sync((api, out) -> Codec.writeValueResult(out, api.queryValueKey(h, name)));
      }
      case DELETE_VALUE_KEY -> {
        Handle h = Codec.readHandle(in);
        UnicodeString name = Codec.readUnicodeString(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.deleteValueKey(h, name)));
      }
      case ENUMERATE_KEY -> {
        Handle h = Codec.readHandle(in);
        int index = in.i32();
        yield sync((api, out) -> Codec.writeNameResult(out, api.enumerateKey(h, index)));
      }
      case ENUMERATE_VALUE_KEY -> {
        Handle h = Codec.readHandle(in);
        int index = in.i32();
        yield sync((api, out) -> Codec.writeValueResult(out, api.enumerateValueKey(h, index)));
      }
      case QUERY_KEY -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeKeyInfoResult(out, api.queryKey(h)));
      }
      case FLUSH_KEY -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.flushKey(h)));
      }
      case EXPORT_KEY -> {
        String path = in.stringOrNull();
        yield sync((api, out) -> Codec.writeExportResult(out, api.exportKey(path)));
      }
      case IMPORT_REG_FILE -> {
        byte[] file = in.bytesOrNull(FrameCodec.MAX_PAYLOAD_BYTES);
        yield sync((api, out) -> Codec.writeImportResult(out, api.importRegFile(file)));
      }
      case LOAD_DRIVER -> {
        UnicodeString key = Codec.readUnicodeString(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.loadDriver(key)));
      }
      case LOAD_DRIVER_DETAILED -> {
        UnicodeString key = Codec.readUnicodeString(in);
        yield sync((api, out) -> DriverLoadCodec.write(out, api.loadDriverDetailed(key)));
      }
      case UNLOAD_DRIVER -> {
        UnicodeString key = Codec.readUnicodeString(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.unloadDriver(key)));
      }
      case CREATE_FILE -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        int share = in.i32();
        int options = in.i32();
        yield sync((api, out) -> Codec.writeOpenResult(out, api.createFile(access, oa, share, options)));
      }
      case READ_FILE -> {
        Handle h = Codec.readHandle(in);
        int length = ioLength(in.i32());
        long offset = in.i64();
        yield new Sync((api, ids, out) -> Codec.writeIoResult(out, api.readFile(h, length, offset)),
            allocated(length));
      }
      case WRITE_FILE -> {
        Handle h = Codec.readHandle(in);
        byte[] data = in.bytesOrNull(Codec.MAX_IO_BYTES);
        long offset = in.i64();
        yield sync((api, out) -> Codec.writeIoResult(out, api.writeFile(h, data, offset)));
      }
      case DEVICE_IO_CONTROL_FILE -> {
        Handle h = Codec.readHandle(in);
        int code = in.i32();
        byte[] input = in.bytesOrNull(Codec.MAX_IO_BYTES);
        int outputLength = ioLength(in.i32());
        yield new Sync((api, ids, out) ->
            Codec.writeIoResult(out, api.deviceIoControlFile(h, code, input, outputLength)),
            allocated(outputLength));
      }
      case READ_FILE_ASYNC -> {
        Handle h = Codec.readHandle(in);
        int length = ioLength(in.i32());
        long offset = in.i64();
        yield new Overlapped(api -> api.readFileAsync(h, length, offset), allocated(length));
      }
      case WRITE_FILE_ASYNC -> {
        Handle h = Codec.readHandle(in);
        byte[] data = in.bytesOrNull(Codec.MAX_IO_BYTES);
        long offset = in.i64();
        yield new Overlapped(api -> api.writeFileAsync(h, data, offset));
      }
      case DEVICE_IO_CONTROL_FILE_ASYNC -> {
        Handle h = Codec.readHandle(in);
        int code = in.i32();
        byte[] input = in.bytesOrNull(Codec.MAX_IO_BYTES);
        int outputLength = ioLength(in.i32());
        yield new Overlapped(api -> api.deviceIoControlFileAsync(h, code, input, outputLength),
            allocated(outputLength));
      }
      case CANCEL_IO_FILE -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.cancelIoFile(h)));
      }
      case CANCEL_IO_FILE_EX -> {
        Handle h = Codec.readHandle(in);
        long wireId = in.i64();
        yield new Sync((api, ids, out) ->
            Codec.writeStatus(out, api.cancelIoFileEx(h, ids.applyAsLong(wireId))));
      }
      case FLUSH_BUFFERS_FILE -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.flushBuffersFile(h)));
      }
      case OPEN_FILE -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        int share = in.i32();
        int options = in.i32();
        yield sync((api, out) -> Codec.writeOpenResult(out, api.openFile(access, oa, share, options)));
      }
      case QUERY_INFORMATION_FILE -> {
        Handle h = Codec.readHandle(in);
        int informationClass = in.i32();
        int length = ioLength(in.i32());
        yield new Sync((api, ids, out) ->
            Codec.writeIoResult(out, api.queryInformationFile(h, informationClass, length)),
            allocated(length));
      }
      case QUERY_VOLUME_INFORMATION_FILE -> {
        Handle h = Codec.readHandle(in);
        int fsInformationClass = in.i32();
        int length = ioLength(in.i32());
        yield new Sync((api, ids, out) ->
            Codec.writeIoResult(out, api.queryVolumeInformationFile(h, fsInformationClass, length)),
            allocated(length));
      }
      case SET_INFORMATION_FILE -> {
        Handle h = Codec.readHandle(in);
        int informationClass = in.i32();
        byte[] data = in.bytesOrNull(Codec.MAX_IO_BYTES);
        yield sync((api, out) -> Codec.writeIoResult(out, api.setInformationFile(h, informationClass, data)));
      }
      case QUERY_DRIVERS -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryDrivers(), Codec::writeDriverInfo));
      case QUERY_DEVICE -> {
        String path = in.stringOrNull();
        yield sync((api, out) -> Codec.writeSystemResult(out, api.queryDevice(path), Codec::writeDeviceInfo));
      }
      case QUERY_POOL_TAGS -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryPoolTags(), Codec::writeTagUsage));
      case QUERY_POOL_OWNERS -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryPoolOwners(), Codec::writeOwnerUsage));
      case QUERY_VERIFIER_SETTINGS -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryVerifierSettings(), Codec::writeVerifierSettings));
      case SET_VERIFIER_VOLATILE_SETTINGS -> {
        VerifierSettings settings = Codec.readVerifierSettings(in);
        yield sync((api, out) -> Codec.writeStatus(out, api.setVerifierVolatileSettings(settings)));
      }
      case QUERY_VERIFIER_STATISTICS -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryVerifierStatistics(), Codec::writeDriverStatistics));
      case QUERY_VERIFIER_FINDINGS -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryVerifierFindings(), Codec::writeVerifierFinding));
      case QUERY_DRIVER_HOLDERS -> {
        String service = in.stringOrNull();
        yield sync((api, out) -> HolderCodec.writeDriverHolders(out, api.queryDriverHolders(service)));
      }
      case QUERY_HANDLES -> sync((api, out) ->
          Codec.writeSystemResult(out, api.queryHandles(), HolderCodec::writeHandleEntry));
      case CREATE_EVENT -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        EventType type = Codec.readEventType(in);
        boolean initialState = in.bool();
        yield sync((api, out) -> Codec.writeOpenResult(out, api.createEvent(access, oa, type, initialState)));
      }
      case OPEN_EVENT -> {
        int access = in.i32();
        ObjectAttributes oa = Codec.readObjectAttributes(in);
        yield sync((api, out) -> Codec.writeOpenResult(out, api.openEvent(access, oa)));
      }
      case SET_EVENT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStateResult(out, api.setEvent(h)));
      }
      case RESET_EVENT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStateResult(out, api.resetEvent(h)));
      }
      case PULSE_EVENT -> {
        Handle h = Codec.readHandle(in);
        yield sync((api, out) -> Codec.writeStateResult(out, api.pulseEvent(h)));
      }
      case WAIT_FOR_SINGLE_OBJECT -> {
        Handle h = Codec.readHandle(in);
        Duration timeout = boundedWait(Codec.readTimeout(in));
        yield sync((api, out) -> Codec.writeStatus(out, api.waitForSingleObject(h, timeout)));
      }
      case QUERY_DEVICE_TREE, INSTALL_DEVICE, REMOVE_DEVICE, DISABLE_DEVICE, ENABLE_DEVICE, RESTART_DEVICE,
          UPDATE_DRIVER ->
          PnpCalls.decode(op, in);
    };
  }

  private static Sync sync(java.util.function.BiConsumer<NtApi, WireWriter> call) {
    return new Sync((api, ids, out) -> call.accept(api, out));
  }

  /** A wait's timeout cut to {@link #MAX_WAIT}; a negative one goes to the kernel to refuse. */
  private static Duration boundedWait(Duration timeout) {
    return timeout == null || timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
  }

  /** What a length asks the kernel to allocate: nothing when it is negative. */
  private static int allocated(int length) {
    return Math.max(0, length);
  }

  /** A transfer length the protocol can carry back: negative lengths go to the kernel to refuse. */
  private static int ioLength(int length) {
    if (length > Codec.MAX_IO_BYTES) {
      throw new WireException("transfer of " + length + " bytes exceeds " + Codec.MAX_IO_BYTES);
    }
    return length;
  }
}
