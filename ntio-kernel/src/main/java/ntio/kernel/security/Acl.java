package ntio.kernel.security;

import java.util.List;

/**
 * An ordered list of ACEs. Models {@code ACL} (revision {@value #ACL_REVISION}) and {@code
 * RtlGetAce} (full for the ACE types {@link Ace} supports). Order matters: the access check reads
 * the entries first to last. Immutable.
 *
 * @param aces the entries in order
 */
public record Acl(List<Ace> aces) {

  /** {@code ACL_REVISION}. */
  public static final int ACL_REVISION = 2;

  /** Copies the entries. */
  public Acl {
    aces = List.copyOf(aces);
  }

  /**
   * An ACL with these entries in this order. Models {@code RtlCreateAcl} followed by one
   * {@code RtlAddAccessAllowedAce}/{@code RtlAddAccessDeniedAce} per entry (full).
   */
  public static Acl of(Ace... aces) {
    return new Acl(List.of(aces));
  }

  /**
   * An ACL with no entries: as a DACL it grants nothing to anyone. Models {@code RtlCreateAcl}
   * (full).
   */
  public static Acl empty() {
    return new Acl(List.of());
  }

  /** Models {@code ACL.AceCount} (full). */
  public int size() {
    return aces.size();
  }

  /** Whether there are no entries. */
  public boolean isEmpty() {
    return aces.isEmpty();
  }
}
