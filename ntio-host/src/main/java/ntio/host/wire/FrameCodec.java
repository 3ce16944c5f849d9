package ntio.host.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * Frames on a byte stream: a 4-byte little-endian length, then that many bytes of header and
 * payload. A length below the header's size or above {@link #MAX_FRAME_BYTES} is malformed: the
 * peer is not speaking this protocol (or is hostile), and the connection is closed rather than
 * trusting any later byte of it.
 */
public final class FrameCodec {

  /** The largest frame, after the length prefix: 1 MiB. */
  public static final int MAX_FRAME_BYTES = 1 << 20;

  /** The largest payload a frame can carry. */
  public static final int MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - Frame.HEADER_BYTES;

  private FrameCodec() {}

  /**
   * Reads one frame, blocking.
   *
   * @return the frame, or null at a clean end of stream (before the first byte of a frame)
   * @throws WireException if the length is out of bounds, the stream ends inside a frame, or the
   *     header is malformed
   * @throws IOException if the channel fails
   */
  public static Frame read(ReadableByteChannel channel) throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (!fill(channel, prefix, true)) {
      return null;
    }
    int length = prefix.flip().getInt();
    if (length < Frame.HEADER_BYTES || length > MAX_FRAME_BYTES) {
      throw new WireException("frame length " + Integer.toUnsignedString(length)
          + " outside " + Frame.HEADER_BYTES + ".." + MAX_FRAME_BYTES);
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    fill(channel, body, false);
    return decodeBody(body.array());
  }

  /**
   * Decodes a frame's bytes after the length prefix.
   *
   * @throws WireException if they are too short or the kind is unknown
   */
  public static Frame decodeBody(byte[] body) {
    if (body.length < Frame.HEADER_BYTES || body.length > MAX_FRAME_BYTES) {
      throw new WireException("frame of " + body.length + " bytes");
    }
    WireReader in = new WireReader(body);
    Frame.Kind kind = Frame.Kind.of(in.u8());
    long requestId = in.i64();
    int opcode = in.u16();
    return new Frame(kind, requestId, opcode, in.raw(in.remaining()));
  }

  /**
   * The frame's bytes, length prefix included.
   *
   * @throws WireException if the payload is larger than {@link #MAX_PAYLOAD_BYTES}
   */
  public static ByteBuffer encode(Frame frame) {
    if (frame.payload().length > MAX_PAYLOAD_BYTES) {
      throw new WireException("payload of " + frame.payload().length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    }
    ByteBuffer out = ByteBuffer.allocate(4 + Frame.HEADER_BYTES + frame.payload().length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(Frame.HEADER_BYTES + frame.payload().length);
    out.put((byte) frame.kind().code());
    out.putLong(frame.requestId());
    out.putShort((short) frame.opcode());
    out.put(frame.payload());
    return out.flip();
  }

  /** Fills the buffer; false at end of stream before the first byte when that is allowed. */
  private static boolean fill(ReadableByteChannel channel, ByteBuffer buffer, boolean endAllowed)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (endAllowed && buffer.position() == 0) {
          return false;
        }
        throw new WireException("the stream ended inside a frame (" + buffer.position() + " of "
            + buffer.capacity() + " bytes)");
      }
    }
    return true;
  }
}
