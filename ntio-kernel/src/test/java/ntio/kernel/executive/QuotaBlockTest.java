package ntio.kernel.executive;

import ntio.ddk.PoolType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

class QuotaBlockTest {

  private final QuotaBlock quota = new QuotaBlock("client.exe", 100, 50);

  @Test
  void chargesWithinTheLimitSucceedAndTrackUsageAndPeak() {
    assertThat(quota.charge(PoolType.PAGED, 60)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(quota.charge(PoolType.PAGED, 40)).isEqualTo(NtStatus.STATUS_SUCCESS);
    quota.release(PoolType.PAGED, 70);

    assertThat(quota.usage(PoolType.PAGED)).isEqualTo(30);
    assertThat(quota.peak(PoolType.PAGED)).isEqualTo(100);
    assertThat(quota.usage(PoolType.NON_PAGED)).isZero();
  }

  @Test
  void aChargePastTheLimitIsQuotaExceededAndChargesNothing() {
    quota.charge(PoolType.NON_PAGED, 30);

    assertThat(quota.charge(PoolType.NON_PAGED, 21)).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
    assertThat(quota.usage(PoolType.NON_PAGED)).isEqualTo(30);
    assertThat(quota.charge(PoolType.NON_PAGED, 20)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void nonPagedNxIsChargedToTheNonPagedQuota() {
    quota.charge(PoolType.NON_PAGED_NX, 50);

    assertThat(quota.usage(PoolType.NON_PAGED)).isEqualTo(50);
    assertThat(quota.limit(PoolType.NON_PAGED_NX)).isEqualTo(50);
    assertThat(quota.charge(PoolType.NON_PAGED, 1)).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
  }

  @Test
  void returningMoreThanIsChargedIsAnNtioBugAndChangesNothing() {
    quota.charge(PoolType.PAGED, 10);

    assertThatThrownBy(() -> quota.release(PoolType.PAGED, 11))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client.exe")
        .hasMessageContaining("11")
        .hasMessageContaining("10");
    assertThat(quota.usage(PoolType.PAGED)).isEqualTo(10);
  }

  @Test
  void negativeLimitsAndAmountsAreNtioBugs() {
    assertThatThrownBy(() -> new QuotaBlock("p", -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> quota.charge(PoolType.PAGED, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
