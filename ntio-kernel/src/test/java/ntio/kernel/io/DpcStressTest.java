package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import ntio.ddk.Irql;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelServices;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads inserting, removing and flushing the same DPCs at once on a kernel of three
 * processors: every successful insert is matched by exactly one run or one successful remove, a
 * flush returns only after the caller's own earlier insert ran, every run is at DISPATCH_LEVEL,
 * and nothing bug-checks.
 */
@Timeout(60)
class DpcStressTest {

  private static final int THREADS = 4;
  private static final int ROUNDS = 3_000;
  private static final int SHARED = 8;

  @TempDir Path state;
  private Kernel kernel;
  private KernelServices services;

  @BeforeEach
  void boot() {
    kernel = Kernel.boot(KernelConfig.of(state).withProcessors(3));
    services = BuiltinServices.of(kernel, "\\Driver\\Stress");
  }

  @AfterEach
  void shutDown() {
    kernel.shutdown();
  }

  @Test
  void insertsRemovesAndFlushesRacingKeepEveryInsertMatchedByOneRunOrOneRemove() throws Exception {
    AtomicIntegerArray runs = new AtomicIntegerArray(SHARED);
    AtomicIntegerArray inserted = new AtomicIntegerArray(SHARED);
    AtomicIntegerArray removed = new AtomicIntegerArray(SHARED);
    List<String> wrong = new CopyOnWriteArrayList<>();
    List<KernelDpc> shared = new ArrayList<>();
    for (int i = 0; i < SHARED; i++) {
      int index = i;
      KernelDpc dpc = services.initializeDpc((self, a, b) -> {
        if (services.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
          wrong.add("DPC " + index + " ran at " + services.getCurrentIrql());
        }
        runs.incrementAndGet(index);
      });
      if (i % 2 == 0) {
        dpc.setTargetProcessor(i % 3);
      }
      shared.add(dpc);
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int me = t;
      AtomicBoolean markerRan = new AtomicBoolean();
      KernelDpc marker = services.initializeDpc((self, a, b) -> markerRan.set(true));
      Thread thread = new Thread(() -> {
        awaitQuietly(start);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < ROUNDS; round++) {
          int index = random.nextInt(SHARED);
          KernelDpc dpc = shared.get(index);
          int action = random.nextInt(100);
          if (action < 60) {
            if (dpc.insertQueue(me, round)) {
              inserted.incrementAndGet(index);
            }
          } else if (action < 95) {
            if (dpc.removeQueue()) {
              removed.incrementAndGet(index);
            }
          } else {
            markerRan.set(false);
            marker.insertQueue(null, null);
            services.flushQueuedDpcs();
            if (!markerRan.get()) {
              wrong.add("thread " + me + ": KeFlushQueuedDpcs returned before its own DPC ran");
            }
          }
        }
      }, "dpc stress " + t);
      threads.add(thread);
      thread.start();
    }

    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    services.flushQueuedDpcs();

    assertThat(wrong).isEmpty();
    for (int i = 0; i < SHARED; i++) {
      assertThat(shared.get(i).isQueued()).isFalse();
      assertThat(runs.get(i)).as("DPC %d: runs = successful inserts - successful removes", i)
          .isEqualTo(inserted.get(i) - removed.get(i));
    }
    assertThat(kernel.bugChecks().first()).isEmpty();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
