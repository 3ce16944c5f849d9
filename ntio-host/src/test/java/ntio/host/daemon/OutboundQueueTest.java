package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link OutboundQueue}: bounded in frames and bytes, and never blocking the one who offers. */
class OutboundQueueTest {

  @Test
  void aFrameBeyondTheFrameBoundOverflowsAndClosesTheQueue() throws Exception {
    OutboundQueue queue = new OutboundQueue(1 << 20, 2);
    assertThat(queue.offer(ByteBuffer.allocate(10))).isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.offer(ByteBuffer.allocate(10))).isEqualTo(OutboundQueue.Offer.QUEUED);

    assertThat(queue.offer(ByteBuffer.allocate(10))).isEqualTo(OutboundQueue.Offer.OVERFLOWED);

    assertThat(queue.overflowed()).isTrue();
    assertThat(queue.frames()).as("dropped").isZero();
    assertThat(queue.take()).as("the writer sees the close").isNull();
    assertThat(queue.offer(ByteBuffer.allocate(1))).isEqualTo(OutboundQueue.Offer.CLOSED);
  }

  @Test
  void aFrameBeyondTheByteBoundOverflowsButAnEmptyQueueTakesAFrameOfAnySize() {
    OutboundQueue queue = new OutboundQueue(100, 10);
    assertThat(queue.offer(ByteBuffer.allocate(1000))).isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.bytes()).isEqualTo(1000);

    assertThat(queue.offer(ByteBuffer.allocate(1))).isEqualTo(OutboundQueue.Offer.OVERFLOWED);
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void aWrittenFrameLeavesTheQueueAndMakesRoom() throws Exception {
    OutboundQueue queue = new OutboundQueue(100, 10);
    queue.offer(ByteBuffer.allocate(40));
    queue.offer(ByteBuffer.allocate(50));
    assertThat(queue.offer(ByteBuffer.allocate(20))).as("90 + 20 > 100").isEqualTo(OutboundQueue.Offer.OVERFLOWED);

    OutboundQueue second = new OutboundQueue(100, 10);
    second.offer(ByteBuffer.allocate(40));
    second.offer(ByteBuffer.allocate(50));
    ByteBuffer first = second.take();
    assertThat(first.remaining()).isEqualTo(40);
    second.written();

    assertThat(second.frames()).isEqualTo(1);
    assertThat(second.bytes()).isEqualTo(50);
    assertThat(second.offer(ByteBuffer.allocate(20))).isEqualTo(OutboundQueue.Offer.QUEUED);
    second.close();
    second.written(); // the writer finishing a frame the close dropped changes nothing
    assertThat(second.frames()).isZero();
    assertThat(second.overflowed()).isFalse();
  }
}
