package ntio.api;

import java.util.List;
import ntio.ddk.NtStatus;

/**
 * The answer to a query of system information ({@code NtQuerySystemInformation}): a status and,
 * when it succeeded, the rows.
 *
 * @param <T> one row
 * @param status the status; the rows are empty when it is not a success
 * @param rows the rows
 */
public record SystemResult<T>(NtStatus status, List<T> rows) {

  /** Copies the rows. */
  public SystemResult {
    rows = List.copyOf(rows);
  }

  /** A refusal: the status and no rows. */
  public static <T> SystemResult<T> failed(NtStatus status) {
    return new SystemResult<>(status, List.of());
  }
}
