package ntio.framework;

import ntio.ddk.NtStatus;

/**
 * What a creating DDI returns: its status and, on success, the new handle — the C DDIs' status
 * return plus their {@code OUT} handle parameter. On failure {@code handle} is null and nothing
 * was created: no handle exists and none of the object's callbacks will ever run (O6).
 *
 * @param status the DDI's status; {@link NtStatus#isSuccess()} when {@code handle} is set
 * @param handle the new object, or null on failure
 * @param <T> the handle type
 */
public record WdfResult<T>(NtStatus status, T handle) {

  static <T> WdfResult<T> failed(NtStatus status) {
    return new WdfResult<>(status, null);
  }

  static <T> WdfResult<T> created(T handle) {
    return new WdfResult<>(NtStatus.STATUS_SUCCESS, handle);
  }

  /** Whether the DDI succeeded ({@code NT_SUCCESS}). */
  public boolean isSuccess() {
    return status.isSuccess();
  }
}
