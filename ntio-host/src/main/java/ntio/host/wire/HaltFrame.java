package ntio.host.wire;

import java.time.Instant;
import ntio.api.BugCheckReport;
import ntio.api.KernelHalt;

/**
 * The {@link Frame.Kind#HALT} frame: the daemon's kernel halted, and why. Payload: stop code
 * (i32), its four parameters (i64 each), the driver named (string, empty when none), the message
 * (string), the time (i64 seconds, i32 nanoseconds), the driver's image file (string, empty when
 * none), the crash report's id (string, empty when none
 * was written). Request id and opcode are 0.
 */
public final class HaltFrame {

  private HaltFrame() {}

  /** The frame telling {@code halt}. */
  public static Frame of(KernelHalt halt) {
    BugCheckReport b = halt.bugCheck();
    WireWriter out = new WireWriter().i32(b.code()).i64(b.parameter1()).i64(b.parameter2())
        .i64(b.parameter3()).i64(b.parameter4()).string(b.driver()).string(b.message())
        .i64(b.time().getEpochSecond()).i32(b.time().getNano()).string(halt.image()).string(halt.reportId());
    return new Frame(Frame.Kind.HALT, 0, 0, out.toByteArray());
  }

  /**
   * Reads a HALT frame.
   *
   * @throws WireException if it is not one or is malformed
   */
  public static KernelHalt read(Frame frame) {
    if (frame.kind() != Frame.Kind.HALT) {
      throw new WireException("expected HALT, got " + frame.kind());
    }
    WireReader in = frame.reader();
    int code = in.i32();
    long p1 = in.i64();
    long p2 = in.i64();
    long p3 = in.i64();
    long p4 = in.i64();
    String driver = in.string();
    String message = in.string();
    long seconds = in.i64();
    int nanos = in.i32();
    String image = in.string();
    String reportId = in.string();
    in.expectEnd();
    try {
      return new KernelHalt(new BugCheckReport(code, p1, p2, p3, p4, driver, message,
          Instant.ofEpochSecond(seconds, nanos)), image, reportId);
    } catch (RuntimeException e) {
      throw new WireException("malformed HALT: " + e.getMessage());
    }
  }
}
