package ntio.stress.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's soak: 200 clients against one host for {@code -Dntio.soak.seconds} (60 by default),
 * some keeping the rules and some attacking the host's bounds. The well-behaved ones see no error,
 * every driver unloads at the end, and the host's heap comes back within 10% of its start.
 */
class HostSoakIT {

  static final HostSoak.Mix MIX = new HostSoak.Mix(120, 40, 20, 20);

  @Test
  @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
  void twoHundredClientsMisbehavingLeaveWellBehavedOnesUnharmedAndEveryDriverUnloadable(@TempDir Path directory)
      throws InterruptedException {
    Duration duration = Duration.ofSeconds(Long.getLong("ntio.soak.seconds", 60));
    HostSoak.Result result = HostSoak.run(directory.resolve("state"), duration, MIX, UnaryOperator.identity());
    System.out.println("ntio host soak:\n" + result.report());

    assertThat(result.wellBehavedErrors()).as("errors seen by well-behaved clients:\n%s", result.firstErrors())
        .isZero();
    assertThat(result.wellBehavedOperations()).as("well-behaved operations").isGreaterThan(1_000);
    assertThat(result.echoOpensAtEnd()).as("Echo's opens once every client has gone").isZero();
    assertThat(result.echoUnload()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.nullUnload()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.driversGone()).as("Echo and Null unloaded, not left STOP_PENDING").isTrue();
    assertThat(result.hostThreadsAtEnd()).as("the host's threads once its clients have gone")
        .isLessThanOrEqualTo(result.hostThreadsAtStart());
    assertThat(result.heapRatio()).as("the host's heap at the end over its heap at the start").isLessThanOrEqualTo(1.10);
  }
}
