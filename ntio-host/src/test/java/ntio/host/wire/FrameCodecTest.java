package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link FrameCodec}'s reader spends memory on the bytes that arrive, not on the bytes announced. */
class FrameCodecTest {

  /**
   * A stream that hands out its bytes at most {@code chunk} at a time, then ends, and remembers the
   * largest buffer a read was given: what the reader had allocated to fill.
   */
  private static final class TricklingChannel implements ReadableByteChannel {
    private final ByteBuffer bytes;
    private final int chunk;
    private int largestBuffer;

    TricklingChannel(byte[] bytes, int chunk) {
      this.bytes = ByteBuffer.wrap(bytes);
      this.chunk = chunk;
    }

    @Override
    public int read(ByteBuffer dst) {
      largestBuffer = Math.max(largestBuffer, dst.capacity());
      if (!bytes.hasRemaining()) {
        return -1;
      }
      int n = Math.min(chunk, Math.min(dst.remaining(), bytes.remaining()));
      dst.put(bytes.slice().limit(n));
      bytes.position(bytes.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void aFrameAnnouncingAMebibyteWithOneByteSentBuffersOnlyAFewKilobytes() {
    byte[] lie = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(FrameCodec.MAX_FRAME_BYTES).put((byte) Frame.Kind.REQUEST.code()).array();
    TricklingChannel channel = new TricklingChannel(lie, Integer.MAX_VALUE);

    assertThatThrownBy(() -> FrameCodec.read(channel))
        .isInstanceOf(WireException.class).hasMessageContaining("1 of " + FrameCodec.MAX_FRAME_BYTES);
    assertThat(channel.largestBuffer).isLessThanOrEqualTo(FrameCodec.INITIAL_BODY_BYTES);
  }

  @Test
  void aFrameBufferGrowsWithTheBytesReceivedNeverBeyondTwiceThem() {
    byte[] payload = new byte[100_000];
    Arrays.fill(payload, (byte) 7);
    ByteBuffer whole = FrameCodec.encode(new Frame(Frame.Kind.REQUEST, 9, 3, payload));
    byte[] sent = Arrays.copyOf(whole.array(), 4 + Frame.HEADER_BYTES + 20_000); // a fifth arrives
    TricklingChannel channel = new TricklingChannel(sent, 1000);

    assertThatThrownBy(() -> FrameCodec.read(channel)).isInstanceOf(WireException.class);
    assertThat(channel.largestBuffer).isLessThanOrEqualTo(2 * (Frame.HEADER_BYTES + 20_000));
  }

  @Test
  void aLargeFrameArrivingInSmallPiecesIsReadWhole() throws Exception {
    byte[] payload = new byte[FrameCodec.MAX_PAYLOAD_BYTES];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    ByteBuffer whole = FrameCodec.encode(new Frame(Frame.Kind.REPLY, 42, 5, payload));

    Frame read = FrameCodec.read(new TricklingChannel(whole.array(), 4093));

    assertThat(read.requestId()).isEqualTo(42);
    assertThat(read.opcode()).isEqualTo(5);
    assertThat(read.payload()).isEqualTo(payload);
  }

  @Test
  void aFrameAboveTheCallersLimitIsRefusedBeforeItsBodyIsRead() {
    byte[] prefix = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(Handshake.MAX_HELLO_FRAME_BYTES + 1).array();
    TricklingChannel channel = new TricklingChannel(prefix, Integer.MAX_VALUE);

    assertThatThrownBy(() -> FrameCodec.read(channel, Handshake.MAX_HELLO_FRAME_BYTES))
        .isInstanceOf(WireException.class).hasMessageContaining("outside 11.." + Handshake.MAX_HELLO_FRAME_BYTES);
    assertThat(channel.largestBuffer).isEqualTo(4);
  }
}
