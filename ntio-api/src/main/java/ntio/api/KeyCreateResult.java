package ntio.api;

import ntio.ddk.Handle;
import ntio.ddk.NtStatus;

/** The outcome of {@code NtCreateKey}: status, handle and {@code Disposition}. */
public record KeyCreateResult(NtStatus status, Handle handle, int disposition) {

  /** {@code REG_CREATED_NEW_KEY}: the disposition of a create that made the key. */
  public static final int REG_CREATED_NEW_KEY = 1;

  /** {@code REG_OPENED_EXISTING_KEY}: the disposition of a create that found the key. */
  public static final int REG_OPENED_EXISTING_KEY = 2;

  /**
   * {@code REG_OPTION_VOLATILE}: the {@code createOptions} bit of {@code NtCreateKey} that makes a
   * key live in memory only.
   */
  public static final int REG_OPTION_VOLATILE = 0x1;
}
