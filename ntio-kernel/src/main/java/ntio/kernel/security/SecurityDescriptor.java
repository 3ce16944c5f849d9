package ntio.kernel.security;

import java.util.Objects;
import java.util.Optional;
import ntio.ddk.AccessMask;

/**
 * Who owns an object and who may do what with it. Models {@code SECURITY_DESCRIPTOR} (partial:
 * owner, group and DACL with its protected flag; no SACL).
 *
 * <p>The DACL has three states that the access check treats differently:
 *
 * <ul>
 *   <li>absent ({@code SE_DACL_PRESENT} clear) or present but NULL: everyone gets every access
 *       ({@code D:NO_ACCESS_CONTROL} in SDDL);
 *   <li>present and empty: nobody gets any access through the DACL ({@code D:} in SDDL);
 *   <li>present with entries: the entries decide, first to last.
 * </ul>
 *
 * Immutable; build one with {@link #builder()} or parse SDDL with {@link Sddl#parse}.
 */
public final class SecurityDescriptor {

  /** {@code SE_DACL_PRESENT}. */
  public static final int SE_DACL_PRESENT = 0x0004;

  /** {@code SE_DACL_PROTECTED}: the DACL does not inherit from the parent. */
  public static final int SE_DACL_PROTECTED = 0x1000;

  /** {@code SE_SELF_RELATIVE}: every descriptor here is a self-contained value. */
  public static final int SE_SELF_RELATIVE = 0x8000;

  /**
   * The descriptor the kernel gives object directories, registry keys and device objects that ask
   * for no other: owner Administrators, group SYSTEM, SYSTEM and Administrators all access,
   * Everyone read and execute — {@code O:BAG:SYD:(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;WD)}. Models
   * {@code SePublicDefaultSd} (partial: NT's public default also lets Restricted code read).
   */
  public static final SecurityDescriptor PUBLIC_DEFAULT =
      builder()
          .owner(Sid.BUILTIN_ADMINISTRATORS)
          .group(Sid.LOCAL_SYSTEM)
          .dacl(
              Acl.of(
                  Ace.allow(AccessMask.GENERIC_ALL, Sid.LOCAL_SYSTEM),
                  Ace.allow(AccessMask.GENERIC_ALL, Sid.BUILTIN_ADMINISTRATORS),
                  Ace.allow(
                      AccessMask.GENERIC_READ | AccessMask.GENERIC_EXECUTE,
                      Sid.EVERYONE)))
          .build();

  private final Optional<Sid> owner;
  private final Optional<Sid> group;
  private final boolean daclPresent;
  private final Optional<Acl> dacl;
  private final boolean daclProtected;

  private SecurityDescriptor(Builder builder) {
    this.owner = builder.owner;
    this.group = builder.group;
    this.daclPresent = builder.daclPresent;
    this.dacl = builder.dacl;
    this.daclProtected = builder.daclProtected;
  }

  /**
   * A builder for a descriptor with no owner, no group and no DACL. Models {@code
   * RtlCreateSecurityDescriptor} (full).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The owner, if the descriptor names one. Models {@code RtlGetOwnerSecurityDescriptor}
   * (full).
   */
  public Optional<Sid> owner() {
    return owner;
  }

  /**
   * The primary group, if the descriptor names one. Models {@code
   * RtlGetGroupSecurityDescriptor} (full).
   */
  public Optional<Sid> group() {
    return group;
  }

  /**
   * Whether {@code SE_DACL_PRESENT} is set. Models {@code RtlGetDaclSecurityDescriptor}'s {@code
   * DaclPresent} (full).
   */
  public boolean isDaclPresent() {
    return daclPresent;
  }

  /**
   * The DACL; empty when it is absent or NULL, both of which grant everyone everything. Models
   * {@code RtlGetDaclSecurityDescriptor} (full).
   */
  public Optional<Acl> dacl() {
    return dacl;
  }

  /**
   * Whether {@code SE_DACL_PROTECTED} is set ({@code D:P} in SDDL). Models a test of {@code
   * RtlGetControlSecurityDescriptor} (full).
   */
  public boolean isDaclProtected() {
    return daclProtected;
  }

  /**
   * The {@code SECURITY_DESCRIPTOR_CONTROL} bits. Models {@code RtlGetControlSecurityDescriptor}
   * (partial: present and protected DACL, always self-relative).
   */
  public int control() {
    return SE_SELF_RELATIVE
        | (daclPresent ? SE_DACL_PRESENT : 0)
        | (daclProtected ? SE_DACL_PROTECTED : 0);
  }

  /** The SDDL form; see {@link Sddl#format}. */
  public String toSddl() {
    return Sddl.format(this);
  }

  /** Equal when owner, group, DACL state, entries and protection are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SecurityDescriptor that
        && that.owner.equals(owner)
        && that.group.equals(group)
        && that.daclPresent == daclPresent
        && that.dacl.equals(dacl)
        && that.daclProtected == daclProtected;
  }

  /** Consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return Objects.hash(owner, group, daclPresent, dacl, daclProtected);
  }

  /** The SDDL form. */
  @Override
  public String toString() {
    return toSddl();
  }

  /** Builds a {@link SecurityDescriptor}. Not thread-safe; use it from one thread. */
  public static final class Builder {
    private Optional<Sid> owner = Optional.empty();
    private Optional<Sid> group = Optional.empty();
    private boolean daclPresent;
    private Optional<Acl> dacl = Optional.empty();
    private boolean daclProtected;

    private Builder() {}

    /** Sets the owner. Models {@code RtlSetOwnerSecurityDescriptor} (full). */
    public Builder owner(Sid owner) {
      this.owner = Optional.of(owner);
      return this;
    }

    /** Sets the primary group. Models {@code RtlSetGroupSecurityDescriptor} (full). */
    public Builder group(Sid group) {
      this.group = Optional.of(group);
      return this;
    }

    /**
     * Sets a present DACL; an empty one grants nothing. Models {@code
     * RtlSetDaclSecurityDescriptor(TRUE, Dacl)} (full).
     */
    public Builder dacl(Acl dacl) {
      this.daclPresent = true;
      this.dacl = Optional.of(dacl);
      return this;
    }

    /**
     * Sets a present but NULL DACL, which grants everyone everything. Models {@code
     * RtlSetDaclSecurityDescriptor(TRUE, NULL)} (full).
     */
    public Builder nullDacl() {
      this.daclPresent = true;
      this.dacl = Optional.empty();
      return this;
    }

    /**
     * Sets or clears {@code SE_DACL_PROTECTED}. Models {@code
     * RtlSetControlSecurityDescriptor(SE_DACL_PROTECTED)} (full).
     */
    public Builder daclProtected(boolean daclProtected) {
      this.daclProtected = daclProtected;
      return this;
    }

    /**
     * The descriptor.
     *
     * @throws IllegalStateException if the DACL is marked protected but none was set
     */
    public SecurityDescriptor build() {
      if (daclProtected && !daclPresent) {
        throw new IllegalStateException("SE_DACL_PROTECTED set without a DACL");
      }
      return new SecurityDescriptor(this);
    }
  }
}
