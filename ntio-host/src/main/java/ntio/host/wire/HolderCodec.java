package ntio.host.wire;

import ntio.api.DriverHolders;
import ntio.api.HandleEntry;
import ntio.api.Holder;
import ntio.api.UnixPid;

/**
 * The wire form of {@code QUERY_DRIVER_HOLDERS} (0x58) and {@code QUERY_HANDLES} (0x59): a
 * {@link DriverHolders} and its {@link Holder} rows, and the {@link HandleEntry} rows of a system
 * handle listing. Kept apart from {@link Codec} so each file holds one concern; the layouts are in
 * docs/protocol.md, "Holders and handles".
 */
final class HolderCodec {

  /** The fewest bytes a {@link UnixPid} takes: i64 pid, u8 trust. */
  static final int UNIX_PID_BYTES = 8 + 1;

  /** The fewest bytes a {@link Holder} row takes: ten fields, each string at least its count. */
  static final int MIN_HOLDER_BYTES = 4 + 4 + 1 + 4 + 4 + 4 + 8 + 4 + 4 + UNIX_PID_BYTES;

  /** The fewest bytes a {@link HandleEntry} row takes. */
  static final int MIN_HANDLE_BYTES = 4 + 4 + 4 + 8 + 4 + 4 + 4 + 4 + UNIX_PID_BYTES;

  private HolderCodec() {}

  static void writeDriverHolders(WireWriter out, DriverHolders h) {
    Codec.writeStatus(out, h.status());
    out.string(h.service()).string(h.driverName()).bool(h.unloadPending());
    out.list(h.holders(), HolderCodec::writeHolder);
  }

  static DriverHolders readDriverHolders(WireReader in) {
    return new DriverHolders(Codec.readStatus(in), in.string(), in.string(), in.bool(),
        in.list(MIN_HOLDER_BYTES, HolderCodec::readHolder));
  }

  static void writeHolder(WireWriter out, Holder h) {
    out.i32(h.kind().ordinal()).string(h.device()).bool(h.blocksUnload()).i32(h.processId())
        .string(h.processName()).string(h.user()).i64(h.unixUid()).i32(h.handle()).string(h.detail());
    writeUnixPid(out, h.unixPid());
  }

  /** Reads a row; an unknown kind is a malformed reply. */
  static Holder readHolder(WireReader in) {
    int kind = in.i32();
    Holder.Kind[] kinds = Holder.Kind.values();
    if (kind < 0 || kind >= kinds.length) {
      throw new WireException("unknown holder kind " + kind);
    }
    return new Holder(kinds[kind], in.string(), in.bool(), in.i32(), in.string(), in.string(), in.i64(),
        in.i32(), in.string(), readUnixPid(in));
  }

  static void writeHandleEntry(WireWriter out, HandleEntry e) {
    out.i32(e.processId()).string(e.processName()).string(e.user()).i64(e.unixUid()).i32(e.handle())
        .string(e.objectType()).string(e.objectName()).i32(e.grantedAccess());
    writeUnixPid(out, e.unixPid());
  }

  static HandleEntry readHandleEntry(WireReader in) {
    return new HandleEntry(in.i32(), in.string(), in.string(), in.i64(), in.i32(), in.string(), in.string(),
        in.i32(), readUnixPid(in));
  }

  static void writeUnixPid(WireWriter out, UnixPid pid) {
    out.i64(pid.pid()).u8(pid.trust().ordinal());
  }

  /** Reads a pid and its trust; an unknown trust, or a pid that does not fit it, is a malformed reply. */
  static UnixPid readUnixPid(WireReader in) {
    long pid = in.i64();
    int trust = in.u8();
    UnixPid.Trust[] trusts = UnixPid.Trust.values();
    if (trust >= trusts.length) {
      throw new WireException("unknown Unix pid trust " + trust);
    }
    try {
      return new UnixPid(pid, trusts[trust]);
    } catch (IllegalArgumentException e) {
      throw new WireException(e.getMessage());
    }
  }
}
