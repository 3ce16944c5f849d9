package ntio.host.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Frames on a byte stream: a 4-byte little-endian length, then that many bytes of header and
 * payload. A length below the header's size or above {@link #MAX_FRAME_BYTES} is malformed: the
 * peer is not speaking this protocol (or is hostile), and the connection is closed rather than
 * trusting any later byte of it.
 *
 * <p>The announced length is a claim, not a fact: a frame's buffer starts at {@value
 * #INITIAL_BODY_BYTES} bytes and doubles only as the bytes arrive, so a peer that announces a
 * mebibyte and sends one byte costs a few kilobytes, not the mebibyte.
 */
public final class FrameCodec {

  /** The largest frame, after the length prefix: 1 MiB. */
  public static final int MAX_FRAME_BYTES = 1 << 20;

  /** The largest payload a frame can carry. */
  public static final int MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - Frame.HEADER_BYTES;

  /** A frame body's first buffer; it doubles each time it fills, up to the announced length. */
  public static final int INITIAL_BODY_BYTES = 4096;

  private FrameCodec() {}

  /**
   * Reads one frame of at most {@link #MAX_FRAME_BYTES}, blocking.
   *
   * @return the frame, or null at a clean end of stream (before the first byte of a frame)
   * @throws WireException if the length is out of bounds, the stream ends inside a frame, or the
   *     header is malformed
   * @throws IOException if the channel fails
   */
  public static Frame read(ReadableByteChannel channel) throws IOException {
    return read(channel, MAX_FRAME_BYTES);
  }

  /**
   * Reads one frame of at most {@code maxFrameBytes} after the length prefix, blocking. The body's
   * buffer grows with the bytes received (never to more than twice them, or {@value
   * #INITIAL_BODY_BYTES}), whatever the prefix announces.
   *
   * @param maxFrameBytes the largest length prefix accepted, at most {@link #MAX_FRAME_BYTES}
   * @return the frame, or null at a clean end of stream (before the first byte of a frame)
   * @throws WireException if the length is out of bounds, the stream ends inside a frame, or the
   *     header is malformed
   * @throws IOException if the channel fails
   */
  public static Frame read(ReadableByteChannel channel, int maxFrameBytes) throws IOException {
    if (maxFrameBytes < Frame.HEADER_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("frame limit " + maxFrameBytes + " outside "
          + Frame.HEADER_BYTES + ".." + MAX_FRAME_BYTES);
    }
    ByteBuffer prefix = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (!fill(channel, prefix, true)) {
      return null;
    }
    int length = prefix.flip().getInt();
    if (length < Frame.HEADER_BYTES || length > maxFrameBytes) {
      throw new WireException("frame length " + Integer.toUnsignedString(length)
          + " outside " + Frame.HEADER_BYTES + ".." + maxFrameBytes);
    }
    return decodeBody(readBody(channel, length));
  }

  /** Reads {@code length} bytes into a buffer that grows as they arrive. */
  private static byte[] readBody(ReadableByteChannel channel, int length) throws IOException {
    byte[] body = new byte[Math.min(length, INITIAL_BODY_BYTES)];
    int filled = 0;
    while (filled < length) {
      if (filled == body.length) {
        body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
      }
      int read = channel.read(ByteBuffer.wrap(body, filled, body.length - filled));
      if (read < 0) {
        throw new WireException("the stream ended inside a frame (" + filled + " of " + length + " bytes)");
      }
      filled += read;
    }
    return body;
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
