package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_CANNOT_DELETE;
import static ntio.ddk.NtStatus.STATUS_KEY_DELETED;
import static ntio.ddk.NtStatus.STATUS_NO_MORE_ENTRIES;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import ntio.api.KeyInfo;
import ntio.api.KeyInfoResult;
import ntio.api.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class HiveConcurrencyTest {

  private static final int THREADS = 8;
  private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void eightThreadsChangingOneSubtreeLeaveAConsistentRegistry(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hive.mv");
    Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    AtomicLong operations = new AtomicLong();
    try (Hive hive = Hive.open(file).hive()) {
      long stress = hive.createPath(hive.rootId(), List.of("MACHINE", "Stress"), 0).keyId();
      List<Long> known = new CopyOnWriteArrayList<>(List.of(stress));
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int seed = t;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                    work(hive, stress, known, new Random(seed), unexpected, operations);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    unexpected.add("thread " + seed + " threw " + e);
                  } finally {
                    done.countDown();
                  }
                },
                "registry-stress-" + t);
        threads.add(thread);
        thread.start();
      }
      start.countDown();
      assertThat(done.await(45, TimeUnit.SECONDS)).as("all threads finished").isTrue();
      for (Thread thread : threads) {
        thread.join();
      }

      assertThat(unexpected).isEmpty();
      assertThat(operations.get()).as("every thread worked").isGreaterThanOrEqualTo(THREADS);
      assertThat(hive.checkRegistry()).isEmpty();
      assertCountsMatchEnumeration(hive, hive.rootId());
    }
    try (Hive reopened = Hive.open(file).hive()) {
      assertThat(reopened.checkRegistry()).isEmpty();
      assertCountsMatchEnumeration(reopened, reopened.rootId());
    }
  }

  private static void work(
      Hive hive,
      long stress,
      List<Long> known,
      Random random,
      Queue<String> unexpected,
      AtomicLong operations) {
    long deadline = System.nanoTime() + RUN_NANOS;
    while (System.nanoTime() < deadline) {
      long target = known.get(random.nextInt(known.size()));
      String name = "k" + random.nextInt(12);
      int options = random.nextInt(4) == 0 ? Hive.REG_OPTION_VOLATILE : 0;
      switch (random.nextInt(7)) {
        case 0 -> {
          CreateKeyResult made = hive.createKey(target, name, options);
          expect(
              unexpected,
              "createKey",
              made.status(),
              STATUS_SUCCESS,
              STATUS_KEY_DELETED,
              NtStatus.STATUS_CHILD_MUST_BE_VOLATILE);
          if (made.status().isSuccess() && known.size() < 400) {
            known.add(made.keyId());
          }
        }
        case 1 -> {
          CreateKeyResult made =
              hive.createPath(stress, List.of(name, "c" + random.nextInt(3)), options);
          expect(
              unexpected,
              "createPath",
              made.status(),
              STATUS_SUCCESS,
              STATUS_KEY_DELETED,
              NtStatus.STATUS_CHILD_MUST_BE_VOLATILE);
        }
        case 2 -> {
          NtStatus set =
              hive.setValue(target, RegValue.dword("v" + random.nextInt(5), random.nextInt()));
          expect(unexpected, "setValue", set, STATUS_SUCCESS, STATUS_KEY_DELETED);
        }
        case 3 -> {
          for (int i = 0; i < 50; i++) {
            EnumeratedKey key = hive.enumerateKey(target, i);
            expect(
                unexpected,
                "enumerateKey",
                key.status(),
                STATUS_SUCCESS,
                STATUS_KEY_DELETED,
                STATUS_NO_MORE_ENTRIES);
            if (!key.status().isSuccess()) {
              break;
            }
          }
        }
        case 4 -> {
          if (target != stress) {
            NtStatus deleted = hive.deleteKey(target);
            expect(
                unexpected,
                "deleteKey",
                deleted,
                STATUS_SUCCESS,
                STATUS_KEY_DELETED,
                STATUS_CANNOT_DELETE);
          }
        }
        case 5 -> {
          KeyResult found = hive.lookupChild(target, name);
          expect(
              unexpected,
              "lookupChild",
              found.status(),
              STATUS_SUCCESS,
              STATUS_KEY_DELETED,
              STATUS_OBJECT_NAME_NOT_FOUND);
          KeyInfoResult info = hive.info(target);
          expect(unexpected, "info", info.status(), STATUS_SUCCESS, STATUS_KEY_DELETED);
        }
        default -> {
          NtStatus deleted = hive.deleteValue(target, "v" + random.nextInt(5));
          expect(
              unexpected,
              "deleteValue",
              deleted,
              STATUS_SUCCESS,
              STATUS_KEY_DELETED,
              STATUS_OBJECT_NAME_NOT_FOUND);
          ValueResult value = hive.enumerateValue(target, random.nextInt(3));
          expect(
              unexpected,
              "enumerateValue",
              value.status(),
              STATUS_SUCCESS,
              STATUS_KEY_DELETED,
              STATUS_NO_MORE_ENTRIES);
        }
      }
      operations.incrementAndGet();
    }
  }

  private static void expect(
      Queue<String> unexpected, String call, NtStatus status, NtStatus... allowed) {
    if (!Set.of(allowed).contains(status)) {
      unexpected.add(call + " answered " + status);
    }
  }

  /** Walks the tree: each key's counts equal what enumerating it finds, and children point back. */
  private static void assertCountsMatchEnumeration(Hive hive, long keyId) {
    KeyInfo info = hive.info(keyId).info();
    List<Long> children = new ArrayList<>();
    for (int i = 0; ; i++) {
      EnumeratedKey child = hive.enumerateKey(keyId, i);
      if (child.status().equals(STATUS_NO_MORE_ENTRIES)) {
        break;
      }
      assertThat(child.status()).isEqualTo(STATUS_SUCCESS);
      children.add(child.keyId());
    }
    int values = 0;
    while (hive.enumerateValue(keyId, values).status().isSuccess()) {
      values++;
    }
    assertThat(children).as(info.path()).hasSize(info.subkeyCount()).doesNotHaveDuplicates();
    assertThat(values).as(info.path()).isEqualTo(info.valueCount());
    for (long child : children) {
      assertThat(hive.info(child).info().parentId()).isEqualTo(keyId);
      assertCountsMatchEnumeration(hive, child);
    }
  }
}
