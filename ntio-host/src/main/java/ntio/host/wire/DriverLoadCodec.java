package ntio.host.wire;

import ntio.api.DriverLoadResult;

/**
 * The wire form of a {@link DriverLoadResult}: {@code status, string detail}. Kept out of {@link
 * Codec}, which holds the records of the first protocol versions.
 */
final class DriverLoadCodec {

  /** The most characters of a detail sent: a detail is one line, this bounds a path-laden one. */
  static final int MAX_DETAIL_CHARS = 4096;

  private DriverLoadCodec() {}

  static void write(WireWriter out, DriverLoadResult result) {
    String detail = result.detail();
    if (detail.length() > MAX_DETAIL_CHARS) {
      detail = detail.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }
    Codec.writeStatus(out, result.status());
    out.string(detail);
  }

  static DriverLoadResult read(WireReader in) {
    return new DriverLoadResult(Codec.readStatus(in), in.string());
  }
}
