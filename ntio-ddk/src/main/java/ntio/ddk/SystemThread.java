package ntio.ddk;

/**
 * A thread a driver started in the System process. Models the thread object behind the handle
 * {@code PsCreateSystemThread} returns (partial: the routine's return is {@code
 * PsTerminateSystemThread}; waiting is {@code KeWaitForSingleObject} on the thread object).
 *
 * <p>A thread of a driver that is still running when the driver's image is unmapped is what
 * Driver Verifier's unload scan reports: its code would be gone from under it.
 */
public interface SystemThread {

  /**
   * Waits for the thread to end. Models {@code KeWaitForSingleObject} on the thread object (full).
   *
   * @param timeoutMillis how long to wait; zero polls
   * @return {@code STATUS_SUCCESS} when it ended, {@code STATUS_TIMEOUT} when it is still running
   */
  NtStatus await(long timeoutMillis);

  /** Whether the thread is still running. */
  boolean isAlive();
}
