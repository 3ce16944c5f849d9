package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class ByteRingTest {

  @Test
  void bytesComeOutInTheOrderTheyWentIn() {
    ByteRing ring = new ByteRing(1024);
    assertThat(ring.append(bytes(1, 2, 3), 3)).isTrue();
    assertThat(ring.append(bytes(4, 5), 2)).isTrue();

    byte[] out = new byte[5];
    assertThat(ring.take(out, 5)).isEqualTo(5);

    assertThat(out).containsExactly(1, 2, 3, 4, 5);
    assertThat(ring.available()).isZero();
  }

  @Test
  void aShortReadLeavesTheRestForTheNextRead() {
    ByteRing ring = new ByteRing(1024);
    ring.append(bytes(1, 2, 3, 4), 4);

    byte[] first = new byte[3];
    assertThat(ring.take(first, 3)).isEqualTo(3);
    byte[] second = new byte[8];
    assertThat(ring.take(second, 8)).isEqualTo(1);

    assertThat(first).containsExactly(1, 2, 3);
    assertThat(second[0]).isEqualTo((byte) 4);
  }

  @Test
  void readingAnEmptyRingMovesNothing() {
    ByteRing ring = new ByteRing(16);
    byte[] out = {9, 9};

    assertThat(ring.take(out, 2)).isZero();
    assertThat(out).containsExactly(9, 9);
  }

  @Test
  void onlyTheFirstLengthBytesOfTheSourceAreAppended() {
    ByteRing ring = new ByteRing(16);
    ring.append(bytes(7, 8, 9), 2);

    assertThat(ring.available()).isEqualTo(2);
  }

  @Test
  void orderSurvivesWrappingAroundTheRingAndGrowingWhileWrapped() {
    ByteRing ring = new ByteRing(1 << 20);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteArrayOutputStream actual = new ByteArrayOutputStream();
    int next = 0;
    // Writes and reads of uneven sizes walk the head around the ring; the large writes make it
    // grow while its contents wrap.
    int[][] steps = {{3000, 2000}, {3000, 3500}, {2500, 100}, {9000, 4000}, {50, 20000}};
    for (int[] step : steps) {
      byte[] chunk = new byte[step[0]];
      for (int i = 0; i < chunk.length; i++) {
        chunk[i] = (byte) next++;
      }
      assertThat(ring.append(chunk, chunk.length)).isTrue();
      expected.write(chunk, 0, chunk.length);
      byte[] out = new byte[step[1]];
      int n = ring.take(out, out.length);
      actual.write(out, 0, n);
    }

    assertThat(ring.available()).isZero();
    assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void aWriteThatDoesNotFitAppendsNothing() {
    ByteRing ring = new ByteRing(10);
    assertThat(ring.append(new byte[8], 8)).isTrue();

    assertThat(ring.append(bytes(1, 2, 3), 3)).isFalse();

    assertThat(ring.available()).isEqualTo(8);
  }

  @Test
  void readingMakesRoomUpToTheCapacityAgain() {
    ByteRing ring = new ByteRing(10);
    ring.append(new byte[8], 8);
    ring.take(new byte[5], 5);

    assertThat(ring.append(new byte[7], 7)).isTrue();
    assertThat(ring.available()).isEqualTo(10);
    assertThat(ring.append(new byte[1], 1)).isFalse();
  }

  @Test
  void aRingCanGrowPastItsInitialSizeToItsCapacity() {
    int capacity = 3 * ByteRing.INITIAL_SIZE + 1;
    ByteRing ring = new ByteRing(capacity);

    assertThat(ring.append(new byte[capacity], capacity)).isTrue();
    assertThat(ring.available()).isEqualTo(capacity);
  }

  @Test
  void aLengthBeyondTheBufferIsABug() {
    ByteRing ring = new ByteRing(16);

    assertThatThrownBy(() -> ring.append(new byte[2], 3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("length 3 outside a buffer of 2 bytes");
    assertThatThrownBy(() -> ring.take(new byte[2], -1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("length -1 outside a buffer of 2 bytes");
  }

  @Test
  void aCapacityBelowOneIsABug() {
    assertThatThrownBy(() -> new ByteRing(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ring capacity 0 is not positive");
  }

  @Test
  void aDrainedRingFallsBackToItsInitialSize() {
    ByteRing ring = new ByteRing(1 << 20);
    ring.append(new byte[3 * ByteRing.INITIAL_SIZE], 3 * ByteRing.INITIAL_SIZE);
    assertThat(ring.size()).isGreaterThanOrEqualTo(3 * ByteRing.INITIAL_SIZE);

    ring.take(new byte[3 * ByteRing.INITIAL_SIZE], 3 * ByteRing.INITIAL_SIZE);

    assertThat(ring.size()).isEqualTo(ByteRing.INITIAL_SIZE);
  }

  @Test
  void aRingNeverGrowsPastItsCapacity() {
    int capacity = ByteRing.INITIAL_SIZE + 10;
    ByteRing ring = new ByteRing(capacity);

    ring.append(new byte[capacity], capacity);

    assertThat(ring.size()).isEqualTo(capacity);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
