package ntio.kernel.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.Irql;
import ntio.ddk.KernelSpinLock;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.BugChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kernel's spin locks between real Java threads: exclusion, FIFO service, try, ownership. */
@Timeout(60)
class SpinLocksTest {

  private final BugChecks bugChecks = new BugChecks(record -> { });
  private final Irqls irqls = new Irqls(bugChecks);
  private final SpinLocks spinLocks = new SpinLocks(irqls);
  private final KernelSpinLock lock = spinLocks.newLock(new KeCaller("Lab.jar", false));

  /** Not atomic on purpose: only the lock makes the increments add up. */
  private long counter;

  @Test
  void theSpinLockExcludesFourThreadsIncrementingOneCounter() throws Exception {
    int threads = 4;
    int rounds = 50_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean queued = t % 2 == 1;
      Thread worker = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < rounds; i++) {
            if (queued) {
              KernelSpinLock.LockQueueHandle handle = lock.acquireInStackQueued();
              counter++;
              handle.release();
            } else {
              Irql old = lock.acquire();
              if (irqls.current() != Irql.DISPATCH_LEVEL || irqls.state().spinLocksHeld() != 1) {
                throw new AssertionError("holding the lock at " + irqls.current());
              }
              counter++;
              lock.release(old);
            }
          }
          if (irqls.current() != Irql.PASSIVE_LEVEL || irqls.state().spinLocksHeld() != 0) {
            throw new AssertionError("left at " + irqls.current());
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(failure.get()).isNull();
    assertThat(counter).isEqualTo((long) threads * rounds);
    assertThat(lock.isHeld()).isFalse();
  }

  @Test
  void queuedAcquirersAreServedInArrivalOrder() throws Exception {
    KSpinLock word = new KSpinLock();
    word.lockQueued();
    List<Integer> served = new ArrayList<>();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int number = i;
      Thread waiter = new Thread(() -> {
        word.lockQueued();
        served.add(number); // under the lock
        word.unlockQueued();
      });
      waiter.start();
      // Let it take its ticket before the next one arrives.
      while (word.ticketsTaken() < i + 2) { // the holder's ticket and one per waiter so far
        Thread.onSpinWait();
      }
      waiters.add(waiter);
    }
    word.unlockQueued();
    for (Thread waiter : waiters) {
      waiter.join();
    }

    assertThat(served).containsExactly(0, 1, 2);
  }

  @Test
  void tryAcquireTakesAFreeLockOnlyAndRecordsTheHold() throws Exception {
    Irql old = irqls.raise(Irql.DISPATCH_LEVEL, "Lab.jar");
    assertThat(lock.tryAcquireAtDpcLevel()).isTrue();
    assertThat(irqls.state().spinLocksHeld()).isEqualTo(1);
    boolean[] other = new boolean[1];
    Thread thief = new Thread(() -> other[0] = lock.tryAcquireAtDpcLevel());
    thief.start();
    thief.join();
    lock.releaseFromDpcLevel();
    irqls.lower(old, "Lab.jar");

    assertThat(other[0]).as("held by another thread").isFalse();
    assertThat(lock.isHeld()).isFalse();
  }

  @Test
  void acquiringALockTheThreadHoldsIsSpinLockAlreadyOwnedNotAHang() {
    Irql old = lock.acquire();

    assertThatThrownBy(lock::acquire).isInstanceOfSatisfying(BugCheckException.class,
        e -> assertThat(bugChecks.first().orElseThrow().code()).isEqualTo(BugCheck.SPIN_LOCK_ALREADY_OWNED));
    lock.release(old);
  }

  @Test
  void releasingALockAnotherThreadHoldsIsSpinLockNotOwned() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      Irql old = lock.acquire();
      held.countDown();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lock.release(old);
    });
    holder.start();
    held.await();

    assertThatThrownBy(() -> lock.release(Irql.PASSIVE_LEVEL)).isInstanceOf(BugCheckException.class);
    done.countDown();
    holder.join();
    assertThat(bugChecks.first().orElseThrow().code()).isEqualTo(BugCheck.SPIN_LOCK_NOT_OWNED);
    assertThat(lock.isHeld()).isFalse();
  }
}
