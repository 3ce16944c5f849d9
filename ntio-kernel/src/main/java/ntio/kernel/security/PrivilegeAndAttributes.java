package ntio.kernel.security;

import java.util.Objects;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;

/**
 * A privilege a token holds and its attributes: one line of {@code whoami /priv}. Models an entry
 * of {@code TOKEN_PRIVILEGES} as {@code GetTokenInformation(TokenPrivileges)} returns it (full).
 *
 * @param privilege the privilege
 * @param attributes {@code SE_PRIVILEGE_*} bits, as in {@link LuidAndAttributes}
 */
public record PrivilegeAndAttributes(Privilege privilege, int attributes) {

  /** Validates the privilege's presence. */
  public PrivilegeAndAttributes {
    Objects.requireNonNull(privilege, "privilege");
  }

  /** Present and enabled, as every privilege of the System token is. */
  public static PrivilegeAndAttributes enabled(Privilege privilege) {
    return new PrivilegeAndAttributes(
        privilege,
        LuidAndAttributes.SE_PRIVILEGE_ENABLED_BY_DEFAULT | LuidAndAttributes.SE_PRIVILEGE_ENABLED);
  }

  /** Present but disabled: it must be enabled before a privilege check passes. */
  public static PrivilegeAndAttributes disabled(Privilege privilege) {
    return new PrivilegeAndAttributes(privilege, 0);
  }

  /** Whether {@code SE_PRIVILEGE_ENABLED} is set. */
  public boolean isEnabled() {
    return (attributes & LuidAndAttributes.SE_PRIVILEGE_ENABLED) != 0;
  }

  /** Whether {@code SE_PRIVILEGE_ENABLED_BY_DEFAULT} is set. */
  public boolean isEnabledByDefault() {
    return (attributes & LuidAndAttributes.SE_PRIVILEGE_ENABLED_BY_DEFAULT) != 0;
  }

  /** {@code Enabled} or {@code Disabled}: the State column of {@code whoami /priv}. */
  public String state() {
    return isEnabled() ? "Enabled" : "Disabled";
  }
}
