package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

/** {@link ConnectionGate}: the total and per-uid connection caps, and what each refusal says. */
class ConnectionGateTest {

  @Test
  void theTotalCapRefusesWithTooManySessionsUntilAConnectionLeaves() {
    ConnectionGate gate = new ConnectionGate(2, 2);
    assertThat(gate.enter()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(gate.enter()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(gate.enter()).isEqualTo(NtStatus.STATUS_TOO_MANY_SESSIONS);

    gate.leave(null);
    assertThat(gate.enter()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(gate.total()).isEqualTo(2);
  }

  @Test
  void thePerUidCapRefusesOneUidWithQuotaExceededAndNotAnother() {
    ConnectionGate gate = new ConnectionGate(10, 1);
    gate.enter();
    assertThat(gate.enterUid(1000)).isEqualTo(NtStatus.STATUS_SUCCESS);
    gate.enter();
    assertThat(gate.enterUid(1000)).isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
    gate.enter();
    assertThat(gate.enterUid(1001)).isEqualTo(NtStatus.STATUS_SUCCESS);

    gate.leave(1000);
    gate.leave(null); // the refused one was never counted against its uid
    assertThat(gate.enterUid(1000)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(gate.total()).isEqualTo(1);
  }
}
