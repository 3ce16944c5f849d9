package ntio.kernel.security;

import java.util.Objects;

/**
 * A group in a token and its attributes. Models {@code SID_AND_ATTRIBUTES} with the {@code
 * SE_GROUP_*} attribute bits (full).
 *
 * @param sid the group
 * @param attributes {@code SE_GROUP_*} bits
 */
public record SidAndAttributes(Sid sid, int attributes) {

  /** {@code SE_GROUP_MANDATORY}: the group cannot be disabled. */
  public static final int SE_GROUP_MANDATORY = 0x00000001;

  /** {@code SE_GROUP_ENABLED_BY_DEFAULT}. */
  public static final int SE_GROUP_ENABLED_BY_DEFAULT = 0x00000002;

  /** {@code SE_GROUP_ENABLED}: the group takes part in allow and deny matching. */
  public static final int SE_GROUP_ENABLED = 0x00000004;

  /** {@code SE_GROUP_OWNER}: the group may be the owner of objects the token creates. */
  public static final int SE_GROUP_OWNER = 0x00000008;

  /** {@code SE_GROUP_USE_FOR_DENY_ONLY}: the group matches deny ACEs only. */
  public static final int SE_GROUP_USE_FOR_DENY_ONLY = 0x00000010;

  /** {@code SE_GROUP_LOGON_ID}: the group is the logon session's SID. */
  public static final int SE_GROUP_LOGON_ID = 0xC0000000;

  /** Mandatory, enabled by default and enabled: how logon puts ordinary groups in a token. */
  public static final int DEFAULT_GROUP =
      SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED;

  /** Validates the SID's presence. */
  public SidAndAttributes {
    Objects.requireNonNull(sid, "sid");
  }

  /** Whether {@link #SE_GROUP_ENABLED} is set. */
  public boolean isEnabled() {
    return (attributes & SE_GROUP_ENABLED) != 0;
  }

  /** Whether {@link #SE_GROUP_USE_FOR_DENY_ONLY} is set. */
  public boolean isDenyOnly() {
    return (attributes & SE_GROUP_USE_FOR_DENY_ONLY) != 0;
  }

  /** Whether {@link #SE_GROUP_OWNER} is set. */
  public boolean isOwner() {
    return (attributes & SE_GROUP_OWNER) != 0;
  }
}
