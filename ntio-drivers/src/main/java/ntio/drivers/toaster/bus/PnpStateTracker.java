package ntio.drivers.toaster.bus;

import ntio.ddk.NtStatus;

/**
 * The {@link PnpState} of one device and the state before it, which a cancelled query returns to
 * (the WDK samples' {@code SET_NEW_PNP_STATE} / {@code RESTORE_PREVIOUS_PNP_STATE}).
 *
 * <p>Its one writer is the device's PnP dispatch (and the completion of its IRP_MN_START_DEVICE):
 * the PnP manager sends a device one PnP IRP at a time. Any thread may read {@link #state()}.
 */
final class PnpStateTracker {

  /** The current state; see {@link PnpState} for the transitions. Volatile: read by any thread. */
  private volatile PnpState state = PnpState.NOT_STARTED;
  /** The state before the last {@link #transitionTo}: written and read by the writer only. */
  private PnpState previous = PnpState.NOT_STARTED;

  /** The current state. */
  PnpState state() {
    return state;
  }

  /** Moves to {@code next}, remembering the current state for {@link #cancel}. */
  void transitionTo(PnpState next) {
    previous = state;
    state = next;
  }

  /**
   * A cancel of the query that moved the device to {@code pending}: back to the state before it,
   * when the device is still in {@code pending}. A cancel can arrive without its query (a driver
   * above failed the query and passed the cancel down), and then changes nothing.
   */
  void cancel(PnpState pending) {
    if (state == pending) {
      state = previous;
    }
  }

  /** An IRP that moves the device to {@code next} and that it grants: moves, and answers success. */
  NtStatus accept(PnpState next) {
    transitionTo(next);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * The cancel of the query that moved the device to {@code pending}: {@link #cancel}, and
   * success, as a cancel must not fail.
   */
  NtStatus acceptCancel(PnpState pending) {
    cancel(pending);
    return NtStatus.STATUS_SUCCESS;
  }
}
