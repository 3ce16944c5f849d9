package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BugChecksTest {

  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");

  private final RecordingHandler handler = new RecordingHandler();
  private final BugChecks bugChecks = new BugChecks(handler, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void raiseThrowsBugCheckExceptionCarryingTheRecord() {
    BugCheckException thrown =
        Raised.by(() -> bugChecks.raise(0xC4, 0x62, 0x10, 0x20, 0x30, "Leaky.jar", "leaked pool"));

    BugCheck bugCheck = thrown.bugCheck();
    assertThat(bugCheck.code()).isEqualTo(0xC4);
    assertThat(bugCheck.parameters()).containsExactly(0x62, 0x10, 0x20, 0x30);
    assertThat(bugCheck.driver()).isEqualTo("Leaky.jar");
    assertThat(bugCheck.message()).isEqualTo("leaked pool");
    assertThat(bugCheck.time()).isEqualTo(NOW);
    assertThat(bugCheck.sequence()).isEqualTo(1);
    assertThat(bugCheck.stack())
        .contains("raiseThrowsBugCheckExceptionCarryingTheRecord")
        .doesNotContain("BugChecks.raise");
    assertThat(thrown)
        .hasMessageContaining(bugCheck.describe())
        .hasMessageContaining("leaked pool");
  }

  @Test
  void raiseHaltsTheKernelAndHandsTheRecordToTheHandlerOnTheRaisingThread() {
    assertThat(bugChecks.isHalted()).isFalse();
    assertThat(bugChecks.first()).isEmpty();

    BugCheckException thrown =
        Raised.by(
            () -> bugChecks.raise(BugCheck.MANUALLY_INITIATED_CRASH, 0, 0, 0, 0, null, "crash"));

    assertThat(bugChecks.isHalted()).isTrue();
    assertThat(bugChecks.first()).contains(thrown.bugCheck());
    assertThat(handler.only()).isEqualTo(thrown.bugCheck());
    assertThat(handler.threads).containsExactly(Thread.currentThread());
  }

  @Test
  void theFirstBugCheckWinsAndLaterOnesAreSecondaryWithoutCallingTheHandler() {
    BugCheckException first = Raised.by(() -> bugChecks.raise(0x50, 1, 0, 0, 0, "A.jar", "first"));
    BugCheckException second =
        Raised.by(() -> bugChecks.raise(0xC2, 7, 0, 0, 0, "B.jar", "second"));

    assertThat(handler.only()).isEqualTo(first.bugCheck());
    assertThat(bugChecks.first()).contains(first.bugCheck());
    assertThat(bugChecks.secondary()).containsExactly(second.bugCheck());
    assertThat(bugChecks.secondaryCount()).isEqualTo(1);
    assertThat(second.bugCheck().sequence()).isEqualTo(2);
  }

  @Test
  void aBugCheckCausedByAThrowableCarriesItsStackAndCause() {
    IllegalStateException cause = new IllegalStateException("driver bug");

    BugCheckException thrown =
        Raised.by(() -> bugChecks.raise(0x7E, 0xE06D7363L, 0, 0, 0, "X.jar", "threw", cause));

    assertThat(thrown).hasCause(cause);
    assertThat(thrown.bugCheck().stack())
        .startsWith("java.lang.IllegalStateException: driver bug")
        .contains("aBugCheckCausedByAThrowableCarriesItsStackAndCause");
  }

  @Test
  void aHandlerThatFailsIsKeptAsSuppressedAndTheKernelStaysHalted() {
    IllegalStateException failure = new IllegalStateException("disk full");
    bugChecks.setHandler(
        bugCheck -> {
          throw failure;
        });

    BugCheckException thrown = Raised.by(() -> bugChecks.raise(0xE2, 0, 0, 0, 0, null, "crash"));

    assertThat(thrown.getSuppressed()).containsExactly(failure);
    assertThat(bugChecks.isHalted()).isTrue();
  }

  @Test
  void setHandlerReplacesTheHandler() {
    RecordingHandler replacement = new RecordingHandler();
    bugChecks.setHandler(replacement);

    Raised.by(() -> bugChecks.raise(0xE2, 0, 0, 0, 0, null, "crash"));

    assertThat(handler.handled).isEmpty();
    assertThat(replacement.handled).hasSize(1);
  }

  @Test
  void onlyTheFirstSixtyFourSecondaryBugChecksAreKeptButAllAreCounted() {
    for (int i = 0; i < 100; i++) {
      Raised.by(() -> bugChecks.raise(0xE2, 0, 0, 0, 0, null, "crash"));
    }

    assertThat(bugChecks.secondary()).hasSize(BugChecks.MAX_SECONDARY);
    assertThat(bugChecks.secondaryCount()).isEqualTo(99);
  }

  @Test
  @Timeout(10)
  void concurrentBugChecksAgreeOnOneFirstAndCallTheHandlerOnce() throws InterruptedException {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<BugCheck> raised = new ConcurrentLinkedQueue<>();
    List<Thread> raisers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long parameter = i;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  bugChecks.raise(0xE2, parameter, 0, 0, 0, null, "crash " + parameter);
                } catch (BugCheckException e) {
                  raised.add(e.bugCheck());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      thread.start();
      raisers.add(thread);
    }
    start.countDown();
    for (Thread thread : raisers) {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    }

    assertThat(raised).hasSize(threads);
    assertThat(handler.handled).hasSize(1);
    assertThat(bugChecks.first()).contains(handler.only());
    assertThat(bugChecks.secondaryCount()).isEqualTo(threads - 1);
    assertThat(raised.stream().map(BugCheck::sequence))
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }
}
