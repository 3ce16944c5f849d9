package ntio.kernel.executive;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * What {@link Pool#allocate} returns: the status and, on success, the allocation.
 *
 * @param status {@code STATUS_SUCCESS}, or why nothing was allocated
 * @param allocation the allocation on success; null otherwise
 */
public record AllocationResult(NtStatus status, PoolAllocation allocation) {

  /** Checks that an allocation comes with success and only with success. */
  public AllocationResult {
    Objects.requireNonNull(status, "status");
    if (status.isSuccess() != (allocation != null)) {
      throw new IllegalArgumentException(
          "an allocation result has an allocation exactly when it succeeds: " + status);
    }
  }

  static AllocationResult failed(NtStatus status) {
    return new AllocationResult(status, null);
  }
}
