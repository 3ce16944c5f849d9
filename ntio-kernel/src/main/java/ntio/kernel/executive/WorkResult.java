package ntio.kernel.executive;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The outcome of {@link WorkQueues#runAndWait}: whether the routine ran, and what it returned.
 *
 * @param status {@code STATUS_SUCCESS} when the routine ran to completion; otherwise why it did not
 *     run (for example {@code STATUS_SYSTEM_SHUTDOWN})
 * @param value what the routine returned; null when it did not run (or returned null)
 * @param <T> the routine's result type
 */
public record WorkResult<T>(NtStatus status, T value) {

  /** Checks the components. */
  public WorkResult {
    Objects.requireNonNull(status, "status");
    if (!status.isSuccess() && value != null) {
      throw new IllegalArgumentException("a failed work result carries no value: " + status);
    }
  }
}
