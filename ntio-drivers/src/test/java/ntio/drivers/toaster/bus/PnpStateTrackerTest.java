package ntio.drivers.toaster.bus;

import static org.assertj.core.api.Assertions.assertThat;

import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

class PnpStateTrackerTest {

  private final PnpStateTracker pnp = new PnpStateTracker();

  @Test
  void aDeviceStartsNotStartedAndAGrantedIrpMovesItAndAnswersSuccess() {
    assertThat(pnp.state()).isEqualTo(PnpState.NOT_STARTED);

    assertThat(pnp.accept(PnpState.STARTED)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(pnp.state()).isEqualTo(PnpState.STARTED);
  }

  @Test
  void aCancelledQueryRemoveReturnsToTheStateBeforeTheQuery() {
    pnp.accept(PnpState.STARTED);
    pnp.accept(PnpState.STOP_PENDING);
    pnp.accept(PnpState.STOPPED);
    pnp.accept(PnpState.REMOVE_PENDING);

    assertThat(pnp.acceptCancel(PnpState.REMOVE_PENDING)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(pnp.state()).isEqualTo(PnpState.STOPPED);
  }

  @Test
  void aCancelThatArrivesWithoutItsQueryChangesNothingAndStillSucceeds() {
    pnp.accept(PnpState.STARTED);

    assertThat(pnp.acceptCancel(PnpState.REMOVE_PENDING)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(pnp.acceptCancel(PnpState.STOP_PENDING)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(pnp.state()).isEqualTo(PnpState.STARTED);
  }
}
