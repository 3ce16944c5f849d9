package ntio.api;

import java.util.Objects;

/**
 * A privilege LUID and its attributes, as callers of {@code NtAdjustPrivilegesToken} pass them
 * and as it returns the previous state. Models {@code LUID_AND_ATTRIBUTES} with the {@code
 * SE_PRIVILEGE_*} attribute bits (full).
 *
 * @param luid the privilege's LUID; a LUID that names no privilege is simply never present
 * @param attributes {@code SE_PRIVILEGE_*} bits
 */
public record LuidAndAttributes(Luid luid, int attributes) {

  /** {@code SE_PRIVILEGE_ENABLED_BY_DEFAULT}. */
  public static final int SE_PRIVILEGE_ENABLED_BY_DEFAULT = 0x00000001;

  /** {@code SE_PRIVILEGE_ENABLED}: privilege checks pass. */
  public static final int SE_PRIVILEGE_ENABLED = 0x00000002;

  /** {@code SE_PRIVILEGE_REMOVED}: in an adjust request, take the privilege out of the token. */
  public static final int SE_PRIVILEGE_REMOVED = 0x00000004;

  /** {@code SE_PRIVILEGE_USED_FOR_ACCESS}: reported when a privilege granted access. */
  public static final int SE_PRIVILEGE_USED_FOR_ACCESS = 0x80000000;

  /** Validates the LUID's presence. */
  public LuidAndAttributes {
    Objects.requireNonNull(luid, "luid");
  }

  /** A request to enable {@code privilege}. */
  public static LuidAndAttributes enable(Privilege privilege) {
    return new LuidAndAttributes(privilege.luid(), SE_PRIVILEGE_ENABLED);
  }

  /** A request to disable {@code privilege}. */
  public static LuidAndAttributes disable(Privilege privilege) {
    return new LuidAndAttributes(privilege.luid(), 0);
  }

  /** A request to remove {@code privilege} from the token for good. */
  public static LuidAndAttributes remove(Privilege privilege) {
    return new LuidAndAttributes(privilege.luid(), SE_PRIVILEGE_REMOVED);
  }
}
