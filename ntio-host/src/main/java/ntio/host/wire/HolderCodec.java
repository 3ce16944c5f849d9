package ntio.host.wire;

import ntio.api.DriverHolders;
import ntio.api.HandleEntry;
import ntio.api.Holder;

/**
 * The wire form of {@code QUERY_DRIVER_HOLDERS} (0x58) and {@code QUERY_HANDLES} (0x59): a
 * {@link DriverHolders} and its {@link Holder} rows, and the {@link HandleEntry} rows of a system
 * handle listing. Kept apart from {@link Codec} so each file holds one concern; the layouts are in
 * docs/protocol.md, "Holders and handles".
 */
final class HolderCodec {

  /** The fewest bytes a {@link Holder} row takes: nine fields, each string at least its count. */
  static final int MIN_HOLDER_BYTES = 4 + 4 + 1 + 4 + 4 + 4 + 8 + 4 + 4;

  /** The fewest bytes a {@link HandleEntry} row takes. */
  static final int MIN_HANDLE_BYTES = 4 + 4 + 4 + 8 + 4 + 4 + 4 + 4;

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
  }

  /** Reads a row; an unknown kind is a malformed reply. */
  static Holder readHolder(WireReader in) {
    int kind = in.i32();
    Holder.Kind[] kinds = Holder.Kind.values();
    if (kind < 0 || kind >= kinds.length) {
      throw new WireException("unknown holder kind " + kind);
    }
    return new Holder(kinds[kind], in.string(), in.bool(), in.i32(), in.string(), in.string(), in.i64(),
        in.i32(), in.string());
  }

  static void writeHandleEntry(WireWriter out, HandleEntry e) {
    out.i32(e.processId()).string(e.processName()).string(e.user()).i64(e.unixUid()).i32(e.handle())
        .string(e.objectType()).string(e.objectName()).i32(e.grantedAccess());
  }

  static HandleEntry readHandleEntry(WireReader in) {
    return new HandleEntry(in.i32(), in.string(), in.string(), in.i64(), in.i32(), in.string(), in.string(),
        in.i32());
  }
}
