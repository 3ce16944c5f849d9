package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectFifoTest {

  @Test
  void bytesComeBackInTheOrderWrittenAcrossTheEndOfTheRing() {
    DirectFifo fifo = new DirectFifo(10);
    fifo.write(new byte[] {1, 2, 3, 4, 5, 6, 7});
    fifo.read(5);

    assertThat(fifo.write(new byte[] {8, 9, 10, 11, 12})).isEqualTo(5);
    assertThat(fifo.read(100)).containsExactly(6, 7, 8, 9, 10, 11, 12);
    assertThat(fifo.available()).isZero();
  }

  @Test
  void aWriteThatDoesNotFitWritesNothing() {
    DirectFifo fifo = new DirectFifo(4);
    fifo.write(new byte[] {1, 2});

    assertThat(fifo.write(new byte[] {3, 4, 5})).isZero();
    assertThat(fifo.read(4)).containsExactly(1, 2);
  }

  @Test
  void aReadOfAnEmptyFifoReturnsNoBytesAtOnce() {
    assertThat(new DirectFifo(4).read(4)).isEmpty();
  }

  @Test
  void theFloorStatePassesTheWholeTransferThrough() {
    DirectFifoState state = new DirectFifoState();
    state.create();

    assertThat(state.writeThenRead()).isEqualTo(EchoStack.pattern());
    assertThat(state.fifo.available()).isZero();
  }
}
