package ntio.kernel.security;

import java.util.List;
import ntio.api.Privilege;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;

/**
 * The privilege checks every privileged NT call makes before it looks at its arguments.
 *
 * <p>A kernel-mode caller (a driver, or the kernel calling itself) passes without a look at any
 * token; a user-mode caller passes only when its token holds the privilege and it is enabled — a
 * present but disabled privilege fails, which is why {@code sc start} enables
 * SeLoadDriverPrivilege before it asks for a load.
 */
public final class PrivilegeCheck {

  private PrivilegeCheck() {}

  /**
   * Whether a caller with this previous mode and token may use {@code privilege}. Models {@code
   * SeSinglePrivilegeCheck} (full; the token is passed instead of read from the current thread,
   * and no audit is generated).
   */
  public static boolean singlePrivilegeCheck(
      Privilege privilege, Token token, ProcessorMode previousMode) {
    return previousMode == ProcessorMode.KERNEL || token.isPrivilegeEnabled(privilege);
  }

  /**
   * {@code STATUS_SUCCESS} when {@link #singlePrivilegeCheck} passes, else {@code
   * STATUS_PRIVILEGE_NOT_HELD}: the first line of {@code NtLoadDriver} and every other privileged
   * system service. Models the {@code if (!SeSinglePrivilegeCheck(…)) return
   * STATUS_PRIVILEGE_NOT_HELD;} idiom (full).
   */
  public static NtStatus requirePrivilege(
      Privilege privilege, Token token, ProcessorMode previousMode) {
    return singlePrivilegeCheck(privilege, token, previousMode)
        ? NtStatus.STATUS_SUCCESS
        : NtStatus.STATUS_PRIVILEGE_NOT_HELD;
  }

  /**
   * Whether the token has the privileges of a {@code PRIVILEGE_SET} enabled: all of them when
   * {@code allNecessary} ({@code PRIVILEGE_SET_ALL_NECESSARY}), else at least one. Kernel mode
   * passes. Models {@code SePrivilegeCheck} (partial: the used-for-access attribute is not reported
   * back). The token's privileges are read under one lock, so the answer reflects one state.
   *
   * @throws IllegalArgumentException if {@code privileges} is empty (a set must name one privilege;
   *     NT asserts the same)
   */
  public static boolean privilegeCheck(
      List<Privilege> privileges, boolean allNecessary, Token token, ProcessorMode previousMode) {
    if (privileges.isEmpty()) {
      throw new IllegalArgumentException("a privilege set must name at least one privilege");
    }
    if (previousMode == ProcessorMode.KERNEL) {
      return true;
    }
    List<PrivilegeAndAttributes> held = token.privileges();
    int enabled = 0;
    for (Privilege wanted : privileges) {
      boolean isEnabled =
          held.stream().anyMatch(h -> h.privilege() == wanted && h.isEnabled());
      if (isEnabled) {
        enabled++;
      }
    }
    return allNecessary ? enabled == privileges.size() : enabled > 0;
  }
}
