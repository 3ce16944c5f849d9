package ntio.kernel.security;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.Luid;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.NtStatus;

/**
 * An access token: who a process is and what it may do. Models {@code TOKEN} (partial: primary
 * tokens only; no impersonation, restricted SIDs, integrity level or logon session).
 *
 * <p>The identity part (id, user, groups, default owner, elevation) is fixed at creation. The
 * privileges change through {@link #adjustPrivileges} and {@link #disableAllPrivileges}. A token
 * is thread-safe: every process may hold its own, or several may share one, and readers always
 * see the privileges of one complete adjustment.
 *
 * <p>Tokens are made by {@link Tokens}, which owns the kernel's {@link LuidAllocator}.
 */
public final class Token {

  /*
   * Implementation notes: the token lock guards the privilege map only; the identity fields are
   * immutable. A removed privilege is deleted from the map, as NT shrinks the token's privilege
   * array, which is why it can never come back: nothing in an adjust request can add an entry.
   */

  private final Luid tokenId;
  private final Sid user;
  private final List<SidAndAttributes> groups;
  private final Sid defaultOwner;
  private final boolean elevated;

  private final Object lock = new Object();

  /** Present privileges and their {@code SE_PRIVILEGE_*} attributes, in LUID order. */
  @GuardedBy("lock")
  private final EnumMap<Privilege, Integer> privileges = new EnumMap<>(Privilege.class);

  Token(
      Luid tokenId,
      Sid user,
      List<SidAndAttributes> groups,
      List<PrivilegeAndAttributes> privileges,
      Sid defaultOwner,
      boolean elevated) {
    this.tokenId = Objects.requireNonNull(tokenId, "tokenId");
    this.user = Objects.requireNonNull(user, "user");
    this.groups = List.copyOf(groups);
    this.defaultOwner = Objects.requireNonNull(defaultOwner, "defaultOwner");
    this.elevated = elevated;
    if (!defaultOwner.equals(user)
        && this.groups.stream().noneMatch(g -> g.isOwner() && g.sid().equals(defaultOwner))) {
      throw new IllegalArgumentException(
          "default owner "
              + defaultOwner
              + " is neither the user "
              + user
              + " nor a group with SE_GROUP_OWNER");
    }
    synchronized (lock) {
      for (PrivilegeAndAttributes entry : privileges) {
        if (this.privileges.put(entry.privilege(), entry.attributes()) != null) {
          throw new IllegalArgumentException("privilege " + entry.privilege() + " listed twice");
        }
      }
    }
  }

  /**
   * {@code TokenId}: unique among the tokens of one kernel. Models {@code
   * NtQueryInformationToken(TokenStatistics)}'s {@code TokenId} (full).
   */
  public Luid tokenId() {
    return tokenId;
  }

  /** The user. Models {@code NtQueryInformationToken(TokenUser)} (full). */
  public Sid user() {
    return user;
  }

  /**
   * The groups and their attributes, in token order; immutable. Models {@code
   * NtQueryInformationToken(TokenGroups)} (full).
   */
  public List<SidAndAttributes> groups() {
    return groups;
  }

  /**
   * The owner given to objects this token creates. Models {@code
   * NtQueryInformationToken(TokenOwner)} (full).
   */
  public Sid defaultOwner() {
    return defaultOwner;
  }

  /**
   * Whether this is an elevated (full administrator) token. Models {@code
   * NtQueryInformationToken(TokenElevation)} (full).
   */
  public boolean isElevated() {
    return elevated;
  }

  /**
   * Whether the token holds {@code privilege}, enabled or not. Models the search {@code
   * SepPrivilegeCheck} makes in the token's privilege array (full).
   */
  public boolean hasPrivilege(Privilege privilege) {
    synchronized (lock) {
      return privileges.containsKey(privilege);
    }
  }

  /**
   * Whether the token holds {@code privilege} and it is enabled. Models {@code
   * SepPrivilegeCheck} for one privilege in user mode (full).
   */
  public boolean isPrivilegeEnabled(Privilege privilege) {
    synchronized (lock) {
      Integer attributes = privileges.get(privilege);
      return attributes != null && (attributes & LuidAndAttributes.SE_PRIVILEGE_ENABLED) != 0;
    }
  }

  /**
   * The privileges now held, in LUID order: what {@code whoami /priv} prints. An immutable
   * snapshot. Models {@code NtQueryInformationToken(TokenPrivileges)} (full).
   */
  public List<PrivilegeAndAttributes> privileges() {
    synchronized (lock) {
      List<PrivilegeAndAttributes> snapshot = new ArrayList<>(privileges.size());
      privileges.forEach((p, a) -> snapshot.add(new PrivilegeAndAttributes(p, a)));
      return List.copyOf(snapshot);
    }
  }

  /**
   * Enables, disables or removes the listed privileges, atomically. Models {@code
   * NtAdjustPrivilegesToken} with {@code DisableAllPrivileges = FALSE} (full, minus the handle and
   * buffer plumbing).
   *
   * <p>For each privilege the token holds, the first matching request decides: {@code
   * SE_PRIVILEGE_REMOVED} takes it out of the token for good, else {@code SE_PRIVILEGE_ENABLED}
   * enables it, else it is disabled; other attribute bits are ignored and {@code
   * SE_PRIVILEGE_ENABLED_BY_DEFAULT} is kept as it was. Requests for privileges the token does not
   * hold — never held, already removed, or a LUID that names no privilege — change nothing.
   *
   * @return {@code STATUS_SUCCESS} when every request matched a held privilege, else {@code
   *     STATUS_NOT_ALL_ASSIGNED} (a success code; the held ones are still adjusted); and the
   *     previous attributes of each privilege that changed
   */
  public AdjustPrivilegesResult adjustPrivileges(List<LuidAndAttributes> newState) {
    List<LuidAndAttributes> requests = List.copyOf(newState);
    synchronized (lock) {
      return adjustLocked(false, requests);
    }
  }

  /**
   * Disables every privilege the token holds. Models {@code NtAdjustPrivilegesToken} with {@code
   * DisableAllPrivileges = TRUE} (full).
   *
   * @return {@code STATUS_SUCCESS} and the previous attributes of each privilege that was enabled
   */
  public AdjustPrivilegesResult disableAllPrivileges() {
    synchronized (lock) {
      return adjustLocked(true, List.of());
    }
  }

  @GuardedBy("lock")
  private AdjustPrivilegesResult adjustLocked(
      boolean disableAll, List<LuidAndAttributes> requests) {
    int found = 0;
    List<LuidAndAttributes> previous = new ArrayList<>();
    Map<Privilege, Integer> updates = new EnumMap<>(Privilege.class);
    for (Map.Entry<Privilege, Integer> held : privileges.entrySet()) {
      int old = held.getValue();
      int next;
      if (disableAll) {
        next = old & ~LuidAndAttributes.SE_PRIVILEGE_ENABLED;
      } else {
        Optional<LuidAndAttributes> request = firstRequestFor(held.getKey(), requests);
        if (request.isEmpty()) {
          continue;
        }
        next =
            (request.get().attributes()
                    & (LuidAndAttributes.SE_PRIVILEGE_ENABLED
                        | LuidAndAttributes.SE_PRIVILEGE_REMOVED))
                | (old & ~LuidAndAttributes.SE_PRIVILEGE_ENABLED);
      }
      found++;
      if (next != old) {
        previous.add(new LuidAndAttributes(held.getKey().luid(), old));
        updates.put(held.getKey(), next);
      }
    }
    updates.forEach(
        (privilege, attributes) -> {
          if ((attributes & LuidAndAttributes.SE_PRIVILEGE_REMOVED) != 0) {
            privileges.remove(privilege);
          } else {
            privileges.put(privilege, attributes);
          }
        });
    // NT counts token privileges that matched, so a privilege requested twice also falls short.
    NtStatus status =
        !disableAll && found < requests.size()
            ? NtStatus.STATUS_NOT_ALL_ASSIGNED
            : NtStatus.STATUS_SUCCESS;
    return new AdjustPrivilegesResult(status, previous);
  }

  private static Optional<LuidAndAttributes> firstRequestFor(
      Privilege privilege, List<LuidAndAttributes> requests) {
    Luid luid = privilege.luid();
    return requests.stream().filter(r -> r.luid().equals(luid)).findFirst();
  }

  /**
   * Whether {@code sid} is this token's user or one of its groups that counts for an ACE of the
   * given kind: an enabled group always, a {@code SE_GROUP_USE_FOR_DENY_ONLY} group for deny ACEs
   * only. Models {@code SepSidInTokenEx} (partial: no restricted SIDs, no principal-self).
   */
  boolean containsSid(Sid sid, boolean forDenyAce) {
    if (user.equals(sid)) {
      return true;
    }
    for (SidAndAttributes group : groups) {
      if (group.sid().equals(sid)) {
        if (group.isEnabled() || (forDenyAce && group.isDenyOnly())) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code Token 0x0:0x3E8 (NT AUTHORITY\SYSTEM)}, for diagnostics. */
  @Override
  public String toString() {
    return "Token " + tokenId + " (" + user.displayName() + ")";
  }
}
