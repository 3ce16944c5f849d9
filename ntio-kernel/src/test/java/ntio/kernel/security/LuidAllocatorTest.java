package ntio.kernel.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ntio.api.Luid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LuidAllocatorTest {

  @Test
  void firstLuidFollowsTheReservedSystemLuid() {
    LuidAllocator luids = new LuidAllocator();

    assertThat(luids.allocate()).isEqualTo(new Luid(0x3E8));
    assertThat(luids.allocate()).isEqualTo(new Luid(0x3E9));
  }

  @Test
  void eachKernelCountsOnItsOwn() {
    LuidAllocator first = new LuidAllocator();
    LuidAllocator second = new LuidAllocator();
    first.allocate();
    first.allocate();

    assertThat(second.allocate()).isEqualTo(new Luid(0x3E8));
  }

  @Test
  @Timeout(10)
  void concurrentAllocationsNeverRepeat() throws InterruptedException {
    LuidAllocator luids = new LuidAllocator();
    Set<Luid> seen = ConcurrentHashMap.newKeySet();
    int threads = 8;
    int each = 2_000;
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    seen.add(luids.allocate());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              });
      worker.start();
    }
    start.countDown();

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasSize(threads * each);
  }

  @Test
  void partsSplitTheValue() {
    Luid luid = Luid.of(1, 0x8000_0000);

    assertThat(luid.value()).isEqualTo(0x1_8000_0000L);
    assertThat(luid.highPart()).isEqualTo(1);
    assertThat(luid.lowPart()).isEqualTo(0x8000_0000);
    assertThat(luid).hasToString("0x1:0x80000000");
    assertThat(Luid.SYSTEM_LUID).hasToString("0x0:0x3E7");
    assertThat(new HashSet<>(List.of(Luid.of(0, 10), new Luid(10)))).hasSize(1);
  }
}
