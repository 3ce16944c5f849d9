package ntio.kernel.security;

import java.util.Objects;

/**
 * One access control entry of a DACL. Models {@code ACCESS_ALLOWED_ACE} and {@code
 * ACCESS_DENIED_ACE} with their {@code ACE_HEADER} flags (partial: no object, callback, audit or
 * label ACEs).
 *
 * <p>The mask is kept as written, generic bits included; the access check maps it with the object
 * type's {@link ntio.ddk.GenericMapping} each time it reads the ACE.
 *
 * @param type {@link #ACCESS_ALLOWED_ACE_TYPE} or {@link #ACCESS_DENIED_ACE_TYPE}
 * @param flags inheritance flags, a subset of {@link #VALID_INHERIT_FLAGS}
 * @param mask the rights the ACE allows or denies
 * @param sid whom the ACE applies to
 */
public record Ace(int type, int flags, int mask, Sid sid) {

  /** {@code ACCESS_ALLOWED_ACE_TYPE}. */
  public static final int ACCESS_ALLOWED_ACE_TYPE = 0;

  /** {@code ACCESS_DENIED_ACE_TYPE}. */
  public static final int ACCESS_DENIED_ACE_TYPE = 1;

  /** {@code OBJECT_INHERIT_ACE}: child objects (not containers) inherit the ACE. */
  public static final int OBJECT_INHERIT_ACE = 0x01;

  /** {@code CONTAINER_INHERIT_ACE}: child containers inherit the ACE. */
  public static final int CONTAINER_INHERIT_ACE = 0x02;

  /** {@code NO_PROPAGATE_INHERIT_ACE}: inherited one level only. */
  public static final int NO_PROPAGATE_INHERIT_ACE = 0x04;

  /** {@code INHERIT_ONLY_ACE}: the ACE is only for children; access checks skip it. */
  public static final int INHERIT_ONLY_ACE = 0x08;

  /** {@code INHERITED_ACE}: the ACE was inherited from a parent. */
  public static final int INHERITED_ACE = 0x10;

  /** {@code VALID_INHERIT_FLAGS}. */
  public static final int VALID_INHERIT_FLAGS = 0x1F;

  /**
   * Validates the entry.
   *
   * @throws IllegalArgumentException for an unknown type or flags outside {@link
   *     #VALID_INHERIT_FLAGS}
   */
  public Ace {
    Objects.requireNonNull(sid, "sid");
    if (type != ACCESS_ALLOWED_ACE_TYPE && type != ACCESS_DENIED_ACE_TYPE) {
      throw new IllegalArgumentException("unsupported ACE type " + type);
    }
    if ((flags & ~VALID_INHERIT_FLAGS) != 0) {
      throw new IllegalArgumentException(
          "ACE flags 0x" + Integer.toHexString(flags) + " outside VALID_INHERIT_FLAGS 0x1f");
    }
  }

  /** An access-allowed ACE without inheritance flags, as {@code RtlAddAccessAllowedAce} adds. */
  public static Ace allow(int mask, Sid sid) {
    return new Ace(ACCESS_ALLOWED_ACE_TYPE, 0, mask, sid);
  }

  /** An access-denied ACE without inheritance flags, as {@code RtlAddAccessDeniedAce} adds. */
  public static Ace deny(int mask, Sid sid) {
    return new Ace(ACCESS_DENIED_ACE_TYPE, 0, mask, sid);
  }

  /** Whether this is an access-denied ACE. */
  public boolean isDeny() {
    return type == ACCESS_DENIED_ACE_TYPE;
  }

  /** Whether {@link #INHERIT_ONLY_ACE} is set, so that the ACE does not apply to this object. */
  public boolean isInheritOnly() {
    return (flags & INHERIT_ONLY_ACE) != 0;
  }
}
