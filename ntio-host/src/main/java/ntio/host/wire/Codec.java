package ntio.host.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.DeviceInfo;
import ntio.api.DirectoryEntry;
import ntio.api.DriverInfo;
import ntio.api.DriverStatistics;
import ntio.api.EntryInfo;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.FaultSettings;
import ntio.api.IoResult;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfo;
import ntio.api.KeyInfoResult;
import ntio.api.KeyNameResult;
import ntio.api.LinkTarget;
import ntio.api.Listing;
import ntio.api.Luid;
import ntio.api.LuidAndAttributes;
import ntio.api.ObjectInfo;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.api.OwnerUsage;
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
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The encodings of the values that calls take and return. Each {@code write…} has a {@code read…}
 * that gives back an equal value; a {@code read…} raises only {@link WireException}, also when the
 * bytes describe a value its record refuses (the record's own check is turned into a protocol
 * error).
 *
 * <p>Implementation notes: results whose accessor throws on failure ({@link ValueResult#value()},
 * {@link KeyInfoResult#info()}, {@link RegExportResult#text()}) are written by looking at the
 * status first, so that a failure travels as its status and an absent part.
 */
public final class Codec {

  /** The most bytes of a UNICODE_STRING's buffer that travel: all a 16-bit Length can address. */
  public static final int MAX_UNICODE_BUFFER_BYTES = 0x10000;

  /** The most data bytes one read, write or device control may move (less than one frame). */
  public static final int MAX_IO_BYTES = FrameCodec.MAX_PAYLOAD_BYTES - 1024;

  private Codec() {}

  // Primitives of the NT surface ----------------------------------------------------------------

  /** A status as its 32-bit code. */
  public static void writeStatus(WireWriter out, NtStatus status) {
    out.i32(status.code());
  }

  /** A status. */
  public static NtStatus readStatus(WireReader in) {
    return NtStatus.of(in.i32());
  }

  /** A handle as its 32-bit value; a null handle as {@link Handle#NULL}. */
  public static WireWriter writeHandle(WireWriter out, Handle handle) {
    return out.i32(handle == null ? 0 : handle.value());
  }

  /** A handle. */
  public static Handle readHandle(WireReader in) {
    int value = in.i32();
    return value == 0 ? Handle.NULL : new Handle(value);
  }

  /**
   * A {@code PUNICODE_STRING} exactly as the caller laid it out: a pointer byte (0: NULL), then
   * {@code Length} and {@code MaximumLength} (u16 each), then the buffer as an {@code i32} byte
   * count ({@code -1}: a NULL {@code Buffer}) and UTF-16LE bytes. A buffer longer than {@link
   * #MAX_UNICODE_BUFFER_BYTES} is cut there: no 16-bit length reaches past it.
   */
  public static void writeUnicodeString(WireWriter out, UnicodeString s) {
    if (s == null) {
      out.u8(0);
      return;
    }
    out.u8(1).u16(s.length()).u16(s.maximumLength());
    char[] buffer = s.buffer();
    if (buffer == null) {
      out.i32(-1);
      return;
    }
    int chars = Math.min(buffer.length, MAX_UNICODE_BUFFER_BYTES / 2);
    out.i32(chars * 2);
    for (int i = 0; i < chars; i++) {
      out.u16(buffer[i]);
    }
  }

  /** A {@code PUNICODE_STRING}, possibly NULL, possibly ill-formed (as NT would receive it). */
  public static UnicodeString readUnicodeString(WireReader in) {
    int pointer = in.u8();
    if (pointer == 0) {
      return null;
    }
    if (pointer != 1) {
      throw new WireException("UNICODE_STRING pointer byte " + pointer);
    }
    int length = in.u16();
    int maximumLength = in.u16();
    int bytes = in.i32();
    if (bytes == -1) {
      return UnicodeString.raw(length, maximumLength, null);
    }
    if (bytes < 0 || bytes > MAX_UNICODE_BUFFER_BYTES || (bytes & 1) != 0) {
      throw new WireException("UNICODE_STRING buffer of " + bytes + " bytes");
    }
    if (bytes > in.remaining()) {
      throw new WireException("UNICODE_STRING buffer of " + bytes + " bytes with " + in.remaining() + " left");
    }
    char[] buffer = new char[bytes / 2];
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (char) in.u16();
    }
    return UnicodeString.raw(length, maximumLength, buffer);
  }

  /**
   * A {@code POBJECT_ATTRIBUTES}: a pointer byte (0: NULL), then {@code RootDirectory} (a handle),
   * {@code ObjectName} (a {@code PUNICODE_STRING}) and {@code Attributes} ({@code i32}).
   */
  public static void writeObjectAttributes(WireWriter out, ObjectAttributes attributes) {
    if (attributes == null) {
      out.u8(0);
      return;
    }
    out.u8(1);
    writeHandle(out, attributes.rootDirectory());
    writeUnicodeString(out, attributes.objectName());
    out.i32(attributes.attributes());
  }

  /** A {@code POBJECT_ATTRIBUTES}, possibly NULL. */
  public static ObjectAttributes readObjectAttributes(WireReader in) {
    int pointer = in.u8();
    if (pointer == 0) {
      return null;
    }
    if (pointer != 1) {
      throw new WireException("OBJECT_ATTRIBUTES pointer byte " + pointer);
    }
    Handle root = readHandle(in);
    UnicodeString name = readUnicodeString(in);
    return new ObjectAttributes(root, name, in.i32());
  }

  /** A LUID and attributes: the LUID's 64 bits, the attributes. */
  public static void writeLuidAndAttributes(WireWriter out, LuidAndAttributes value) {
    out.i64(value.luid().value()).i32(value.attributes());
  }

  /** A LUID and attributes. */
  public static LuidAndAttributes readLuidAndAttributes(WireReader in) {
    return new LuidAndAttributes(new Luid(in.i64()), in.i32());
  }

  /**
   * An {@code EVENT_TYPE} as NT numbers it: 0 {@code NotificationEvent}, 1 {@code
   * SynchronizationEvent}; null (a value that is neither) as -1.
   */
  public static void writeEventType(WireWriter out, EventType type) {
    out.i32(type == null ? -1 : switch (type) {
      case NOTIFICATION -> 0;
      case SYNCHRONIZATION -> 1;
    });
  }

  /**
   * An {@code EVENT_TYPE}; any value but 0 and 1 reads as null, which the kernel refuses with
   * {@code STATUS_INVALID_PARAMETER} as NT refuses an unknown event type.
   */
  public static EventType readEventType(WireReader in) {
    int value = in.i32();
    return switch (value) {
      case 0 -> EventType.NOTIFICATION;
      case 1 -> EventType.SYNCHRONIZATION;
      default -> null;
    };
  }

  /**
   * A wait's {@code PLARGE_INTEGER Timeout}, relative: a pointer byte (0: NULL, wait forever),
   * then {@code i64} seconds and {@code i32} nanoseconds (0 to 999,999,999) of a duration, which
   * may be negative (the kernel refuses it).
   */
  public static void writeTimeout(WireWriter out, Duration timeout) {
    if (timeout == null) {
      out.u8(0);
      return;
    }
    out.u8(1).i64(timeout.getSeconds()).i32(timeout.getNano());
  }

  /** A wait's timeout; null waits forever. */
  public static Duration readTimeout(WireReader in) {
    int pointer = in.u8();
    if (pointer == 0) {
      return null;
    }
    if (pointer != 1) {
      throw new WireException("timeout pointer byte " + pointer);
    }
    long seconds = in.i64();
    int nanos = in.i32();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new WireException("timeout nanoseconds " + nanos);
    }
    return Duration.ofSeconds(seconds, nanos);
  }

  // Results of the object manager ---------------------------------------------------------------

  public static void writeOpenResult(WireWriter out, OpenResult r) {
    writeStatus(out, r.status());
    writeHandle(out, r.handle());
  }

  public static OpenResult readOpenResult(WireReader in) {
    return new OpenResult(readStatus(in), readHandle(in));
  }

  public static void writeListing(WireWriter out, Listing r) {
    writeStatus(out, r.status());
    out.list(r.entries(), (w, e) -> w.string(e.name()).string(e.typeName()).string(e.linkTarget()));
  }

  public static Listing readListing(WireReader in) {
    NtStatus status = readStatus(in);
    return new Listing(status, in.listOrNull(12,
        r -> new DirectoryEntry(r.stringOrNull(), r.stringOrNull(), r.stringOrNull())));
  }

  public static void writeEntryInfo(WireWriter out, EntryInfo r) {
    writeStatus(out, r.status());
    ObjectInfo info = r.info();
    out.bool(info != null);
    if (info != null) {
      out.string(info.typeName()).string(info.name()).i64(info.pointerCount()).i64(info.handleCount())
          .bool(info.permanent()).bool(info.exclusive()).i32(info.grantedAccess()).i32(info.handleAttributes());
    }
  }

  public static EntryInfo readEntryInfo(WireReader in) {
    NtStatus status = readStatus(in);
    if (!in.bool()) {
      return new EntryInfo(status, null);
    }
    return new EntryInfo(status, new ObjectInfo(in.stringOrNull(), in.stringOrNull(), in.i64(), in.i64(),
        in.bool(), in.bool(), in.i32(), in.i32()));
  }

  /**
   * NtQueryObject's answer: the call's status, ObjectNameInformation's status, then the header if
   * any, whose name is null when the name's status failed.
   */
  public static void writeObjectQuery(WireWriter out, ObjectQuery r) {
    writeStatus(out, r.status());
    writeStatus(out, r.nameStatus());
    ObjectInfo info = r.info();
    out.bool(info != null);
    if (info != null) {
      out.string(info.typeName()).string(info.name()).i64(info.pointerCount()).i64(info.handleCount())
          .bool(info.permanent()).bool(info.exclusive()).i32(info.grantedAccess()).i32(info.handleAttributes());
    }
  }

  public static ObjectQuery readObjectQuery(WireReader in) {
    NtStatus status = readStatus(in);
    NtStatus nameStatus = readStatus(in);
    if (!in.bool()) {
      return new ObjectQuery(status, null, nameStatus);
    }
    return new ObjectQuery(status, new ObjectInfo(in.stringOrNull(), in.stringOrNull(), in.i64(),
        in.i64(), in.bool(), in.bool(), in.i32(), in.i32()), nameStatus);
  }

  public static void writeLinkTarget(WireWriter out, LinkTarget r) {
    writeStatus(out, r.status());
    out.string(r.target());
  }

  public static LinkTarget readLinkTarget(WireReader in) {
    return new LinkTarget(readStatus(in), in.stringOrNull());
  }

  public static void writeStateResult(WireWriter out, EventStateResult r) {
    writeStatus(out, r.status());
    out.bool(r.previousState());
  }

  public static EventStateResult readStateResult(WireReader in) {
    return new EventStateResult(readStatus(in), in.bool());
  }

  // Results of the registry ---------------------------------------------------------------------

  public static void writeCreateResult(WireWriter out, KeyCreateResult r) {
    writeStatus(out, r.status());
    writeHandle(out, r.handle());
    out.i32(r.disposition());
  }

  public static KeyCreateResult readCreateResult(WireReader in) {
    return new KeyCreateResult(readStatus(in), readHandle(in), in.i32());
  }

  public static void writeNameResult(WireWriter out, KeyNameResult r) {
    writeStatus(out, r.status());
    out.string(r.name());
  }

  public static KeyNameResult readNameResult(WireReader in) {
    return new KeyNameResult(readStatus(in), in.stringOrNull());
  }

  public static void writeRegValue(WireWriter out, RegValue v) {
    out.string(v.name()).i32(v.type()).bytes(v.data());
  }

  public static RegValue readRegValue(WireReader in) {
    return new RegValue(in.string(), in.i32(), in.bytes(FrameCodec.MAX_PAYLOAD_BYTES));
  }

  public static void writeValueResult(WireWriter out, ValueResult r) {
    writeStatus(out, r.status());
    boolean present = r.status().isSuccess();
    out.bool(present);
    if (present) {
      writeRegValue(out, r.value());
    }
  }

  public static ValueResult readValueResult(WireReader in) {
    NtStatus status = readStatus(in);
    return new ValueResult(status, in.bool() ? readRegValue(in) : null);
  }

  public static void writeKeyInfoResult(WireWriter out, KeyInfoResult r) {
    writeStatus(out, r.status());
    boolean present = r.status().isSuccess();
    out.bool(present);
    if (present) {
      KeyInfo k = r.info();
      out.i64(k.keyId()).string(k.name()).i64(k.parentId()).string(k.path()).bool(k.isVolatile())
          .bool(k.isLink()).i64(k.lastWriteTime()).i32(k.subkeyCount()).i32(k.valueCount())
          .i32(k.maxSubkeyNameBytes()).i32(k.maxValueNameBytes()).i32(k.maxValueDataBytes());
    }
  }

  public static KeyInfoResult readKeyInfoResult(WireReader in) {
    NtStatus status = readStatus(in);
    if (!in.bool()) {
      return new KeyInfoResult(status, null);
    }
    return new KeyInfoResult(status, new KeyInfo(in.i64(), in.string(), in.i64(), in.string(), in.bool(),
        in.bool(), in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32()));
  }

  /**
   * The most characters of {@code .reg} text one reply carries (two bytes each), leaving room for
   * the status and the message.
   */
  public static final int MAX_EXPORT_CHARS = (FrameCodec.MAX_PAYLOAD_BYTES - 8192) / 2;

  /**
   * Writes an export; one whose text does not fit in a reply is written as {@code
   * STATUS_BUFFER_TOO_SMALL} with a message saying so, never as a reply that cannot be sent.
   */
  public static void writeExportResult(WireWriter out, RegExportResult r) {
    if (r.status().isSuccess() && r.text().length() > MAX_EXPORT_CHARS) {
      r = new RegExportResult(NtStatus.STATUS_BUFFER_TOO_SMALL, "", "the export is "
          + r.text().length() + " characters, more than the " + MAX_EXPORT_CHARS
          + " one reply carries: export a subkey, or export with --embedded");
    }
    writeStatus(out, r.status());
    out.string(r.status().isSuccess() ? r.text() : "").string(r.message());
  }

  public static RegExportResult readExportResult(WireReader in) {
    return new RegExportResult(readStatus(in), in.string(), in.string());
  }

  public static void writeImportResult(WireWriter out, RegImportResult r) {
    writeStatus(out, r.status());
    out.i32(r.line()).string(r.message());
  }

  public static RegImportResult readImportResult(WireReader in) {
    return new RegImportResult(readStatus(in), in.i32(), in.string());
  }

  // Results of the process and its token ----------------------------------------------------------

  public static void writeTokenInfo(WireWriter out, TokenInfo t) {
    out.i32(t.processId()).string(t.processName()).string(t.user()).string(t.userSid()).bool(t.elevated());
    out.list(t.groups(), (w, g) -> w.string(g.name()).string(g.sid()).bool(g.enabled()));
    out.list(t.privileges(), (w, p) -> w.i32(p.luid()).string(p.name()).string(p.description()).bool(p.enabled()));
  }

  public static TokenInfo readTokenInfo(WireReader in) {
    int pid = in.i32();
    String processName = in.string();
    String user = in.string();
    String sid = in.string();
    boolean elevated = in.bool();
    List<TokenInfo.Group> groups = in.list(9, r -> new TokenInfo.Group(r.string(), r.string(), r.bool()));
    List<TokenInfo.Privilege> privileges = in.list(13,
        r -> new TokenInfo.Privilege(r.i32(), r.string(), r.string(), r.bool()));
    return new TokenInfo(pid, processName, user, sid, elevated, groups, privileges);
  }

  public static void writeAdjustPrivilegesResult(WireWriter out, AdjustPrivilegesResult r) {
    writeStatus(out, r.status());
    out.list(r.previousState(), Codec::writeLuidAndAttributes);
  }

  public static AdjustPrivilegesResult readAdjustPrivilegesResult(WireReader in) {
    return new AdjustPrivilegesResult(readStatus(in), in.list(12, Codec::readLuidAndAttributes));
  }

  // Results of I/O ------------------------------------------------------------------------------

  /** An {@code IoResult}: status, i64 information, bytes data, bool ioStatusWritten, status ioStatus. */
  public static void writeIoResult(WireWriter out, IoResult r) {
    writeStatus(out, r.status());
    out.i64(r.information()).bytes(r.data()).bool(r.ioStatusWritten());
    writeStatus(out, r.ioStatus());
  }

  public static IoResult readIoResult(WireReader in) {
    NtStatus status = readStatus(in);
    long information = in.i64();
    byte[] data = in.bytesOrNull(FrameCodec.MAX_PAYLOAD_BYTES);
    boolean written = in.bool();
    return new IoResult(status, information, data == null ? new byte[0] : data, written,
        readStatus(in));
  }

  // System information --------------------------------------------------------------------------

  /** A system query's status and rows. */
  public static <T> void writeSystemResult(WireWriter out, SystemResult<T> r,
      java.util.function.BiConsumer<WireWriter, T> row) {
    writeStatus(out, r.status());
    out.list(r.rows(), row);
  }

  /** A system query's status and rows. */
  public static <T> SystemResult<T> readSystemResult(WireReader in, int minRowBytes,
      java.util.function.Function<WireReader, T> row) {
    NtStatus status = readStatus(in);
    return new SystemResult<>(status, in.list(minRowBytes, row));
  }

  public static void writeDriverInfo(WireWriter out, DriverInfo d) {
    out.string(d.name()).string(d.service()).string(d.imagePath()).i32(d.flags()).i32(d.devices())
        .i32(d.openReferences()).bool(d.unloadPending()).i64(d.loadOrder()).string(d.signer());
  }

  public static DriverInfo readDriverInfo(WireReader in) {
    return new DriverInfo(in.stringOrNull(), in.stringOrNull(), in.stringOrNull(), in.i32(), in.i32(), in.i32(),
        in.bool(), in.i64(), in.stringOrNull());
  }

  public static void writeDeviceInfo(WireWriter out, DeviceInfo d) {
    out.string(d.name()).string(d.driver()).i32(d.deviceType()).i32(d.referenceCount()).i32(d.flags())
        .i32(d.extensionFlags()).list(d.flagNames(), WireWriter::string).i32(d.stackSize())
        .string(d.attachedDevice()).string(d.attachedTo())
        .list(d.history(), WireWriter::string).list(d.driverHistory(), WireWriter::string);
  }

  public static DeviceInfo readDeviceInfo(WireReader in) {
    return new DeviceInfo(in.stringOrNull(), in.stringOrNull(), in.i32(), in.i32(), in.i32(), in.i32(),
        in.list(4, WireReader::string), in.i32(), in.stringOrNull(), in.stringOrNull(),
        in.list(4, WireReader::string), in.list(4, WireReader::string));
  }

  public static void writePoolType(WireWriter out, PoolType type) {
    out.i32(type.ntValue());
  }

  public static PoolType readPoolType(WireReader in) {
    int value = in.i32();
    for (PoolType type : PoolType.values()) {
      if (type.ntValue() == value) {
        return type;
      }
    }
    throw new WireException("unknown pool type " + value);
  }

  public static void writeTagUsage(WireWriter out, TagUsage u) {
    out.i32(u.tag());
    writePoolType(out, u.type());
    out.i64(u.allocations()).i64(u.frees()).i64(u.outstanding()).i64(u.outstandingBytes());
  }

  public static TagUsage readTagUsage(WireReader in) {
    return new TagUsage(in.i32(), readPoolType(in), in.i64(), in.i64(), in.i64(), in.i64());
  }

  public static void writeOwnerUsage(WireWriter out, OwnerUsage u) {
    out.string(u.owner());
    writePoolType(out, u.type());
    out.i64(u.allocations()).i64(u.frees()).i64(u.outstanding()).i64(u.outstandingBytes());
  }

  public static OwnerUsage readOwnerUsage(WireReader in) {
    return new OwnerUsage(in.stringOrNull(), readPoolType(in), in.i64(), in.i64(), in.i64(), in.i64());
  }

  /** Verifier settings; the image names in sorted order so that equal settings encode alike. */
  public static void writeVerifierSettings(WireWriter out, VerifierSettings s) {
    out.list(s.images().stream().sorted().toList(), WireWriter::string).bool(s.allImages()).i32(s.flags());
    FaultSettings f = s.faults();
    out.i32(f.probability()).list(f.tags(), WireWriter::string)
        .i64(f.delay().getSeconds()).i32(f.delay().getNano()).i64(f.seed());
  }

  public static VerifierSettings readVerifierSettings(WireReader in) {
    List<String> images = in.list(4, WireReader::string);
    boolean all = in.bool();
    int flags = in.i32();
    int probability = in.i32();
    List<String> tags = in.list(4, WireReader::string);
    long seconds = in.i64();
    int nanos = in.i32();
    long seed = in.i64();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new WireException("duration nanoseconds " + nanos);
    }
    return new VerifierSettings(java.util.Set.copyOf(images), all, flags,
        new FaultSettings(probability, tags, Duration.ofSeconds(seconds, nanos), seed));
  }

  public static void writeVerifierFinding(WireWriter out, VerifierFinding f) {
    out.string(f.imageName()).string(f.check()).string(f.message())
        .i64(f.at().getEpochSecond()).i32(f.at().getNano());
  }

  public static VerifierFinding readVerifierFinding(WireReader in) {
    String image = in.string();
    String check = in.string();
    String message = in.string();
    long seconds = in.i64();
    int nanos = in.i32();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new WireException("instant nanoseconds " + nanos);
    }
    try {
      return new VerifierFinding(image, check, message, Instant.ofEpochSecond(seconds, nanos));
    } catch (java.time.DateTimeException e) {
      throw new WireException("instant out of range", e);
    }
  }

  public static void writeDriverStatistics(WireWriter out, DriverStatistics d) {
    out.string(d.imageName()).bool(d.loaded()).i32(d.flags()).i64(d.allocations()).i64(d.frees())
        .i64(d.outstanding()).i64(d.peak()).i64(d.faultsInjected()).i64(d.systematicFaultsInjected())
        .list(d.findings(), Codec::writeVerifierFinding);
  }

  public static DriverStatistics readDriverStatistics(WireReader in) {
    return new DriverStatistics(in.stringOrNull(), in.bool(), in.i32(), in.i64(), in.i64(), in.i64(), in.i64(),
        in.i64(), in.i64(), in.list(24, Codec::readVerifierFinding));
  }
}
