package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link OutboundQueue}: bounded in what no quota covers, never blocking, every action run once. */
class OutboundQueueTest {

  @Test
  void anUncoveredFrameBeyondTheFrameBoundOverflowsAndClosesTheQueueRunningEveryDroppedAction() throws Exception {
    OutboundQueue queue = new OutboundQueue(1 << 20, 2);
    AtomicInteger taken = new AtomicInteger();
    assertThat(queue.offer(ByteBuffer.allocate(10))).isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.offer(ByteBuffer.allocate(10), 10, taken::incrementAndGet)).as("covered: not counted")
        .isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.offer(ByteBuffer.allocate(10))).isEqualTo(OutboundQueue.Offer.QUEUED);

    assertThat(queue.offer(ByteBuffer.allocate(10), 0, taken::incrementAndGet))
        .isEqualTo(OutboundQueue.Offer.OVERFLOWED);

    assertThat(taken).as("the covered frame dropped, and the one refused").hasValue(2);
    assertThat(queue.overflowed()).isTrue();
    assertThat(queue.size()).isZero();
    assertThat(queue.take()).as("the writer sees the close").isNull();
    assertThat(queue.offer(ByteBuffer.allocate(1), 1, taken::incrementAndGet)).isEqualTo(OutboundQueue.Offer.CLOSED);
    assertThat(taken).hasValue(3);
  }

  @Test
  void uncoveredBytesBeyondTheBoundOverflowButAQueueHoldingNoneTakesAFrameOfAnySize() {
    OutboundQueue queue = new OutboundQueue(100, 10);
    assertThat(queue.offer(ByteBuffer.allocate(1000))).isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.bytes()).isEqualTo(1000);

    assertThat(queue.offer(ByteBuffer.allocate(1))).isEqualTo(OutboundQueue.Offer.OVERFLOWED);
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void theBytesAChargeCoversAreNotCountedAgain() {
    OutboundQueue queue = new OutboundQueue(100, 10);
    assertThat(queue.offer(ByteBuffer.allocate(50))).isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.offer(ByteBuffer.allocate(100_000), 99_980, null)).isEqualTo(OutboundQueue.Offer.QUEUED);
    assertThat(queue.bytes()).isEqualTo(70);
    assertThat(queue.offer(ByteBuffer.allocate(31))).isEqualTo(OutboundQueue.Offer.OVERFLOWED);
  }

  @Test
  void aTakenFrameLeavesTheQueueAndRunsItsActionBeforeItIsWritten() throws Exception {
    OutboundQueue queue = new OutboundQueue(100, 10);
    AtomicInteger taken = new AtomicInteger();
    queue.offer(ByteBuffer.allocate(40), 0, taken::incrementAndGet);
    queue.offer(ByteBuffer.allocate(50));

    ByteBuffer first = queue.take();

    assertThat(first.remaining()).isEqualTo(40);
    assertThat(taken).hasValue(1);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.bytes()).isEqualTo(50);
    assertThat(queue.offer(ByteBuffer.allocate(50))).isEqualTo(OutboundQueue.Offer.QUEUED);
    queue.close();
    assertThat(taken).hasValue(1);
    assertThat(queue.overflowed()).isFalse();
  }
}
