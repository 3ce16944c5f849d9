package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The bound on automatic reboots that keeps a crash from becoming a reboot loop. */
class RebootBudgetTest {

  /** A clock the test moves. */
  private static final class Hands extends Clock {
    Instant now = Instant.parse("2026-12-07T20:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void theRebootPastTheLimitWithinTheWindowIsRefused() {
    Hands clock = new Hands();
    RebootBudget budget = new RebootBudget(3, Duration.ofMinutes(10), clock);

    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isFalse();
  }

  @Test
  void aRebootIsAllowedAgainOnceTheOldestLeavesTheWindow() {
    Hands clock = new Hands();
    RebootBudget budget = new RebootBudget(2, Duration.ofMinutes(10), clock);
    budget.take();
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    budget.take();

    clock.now = clock.now.plus(Duration.ofMinutes(5));

    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isFalse();
  }

  @Test
  void aBudgetOfNoneRefusesEveryReboot() {
    assertThat(new RebootBudget(0, Duration.ofMinutes(10), new Hands()).take()).isFalse();
  }
}
