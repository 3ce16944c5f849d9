package ntio.host.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import jdk.net.UnixDomainPrincipal;
import ntio.kernel.Kernel;
import ntio.kernel.LocalNt;

/**
 * Who a socket client is, and which token its process gets. A client whose peer uid is 0, or the
 * uid the daemon runs as, or who is in one of the configured admin groups (as primary group or as
 * a listed member), gets an administrator token for {@code S-1-22-1-<uid>}; everyone else a
 * standard user token. As on NT, an administrator's privileges are present but not all enabled:
 * {@code SeLoadDriverPrivilege} must still be enabled before {@code NtLoadDriver}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientPolicy {

  private final Set<Integer> administratorUids;
  private final Set<Integer> administratorGids;
  private final UnixAccounts accounts;

  private ClientPolicy(Set<Integer> administratorUids, Set<Integer> administratorGids, UnixAccounts accounts) {
    this.administratorUids = Set.copyOf(administratorUids);
    this.administratorGids = Set.copyOf(administratorGids);
    this.accounts = Objects.requireNonNull(accounts, "accounts");
  }

  /**
   * The daemon's policy: uid 0, the uid this process runs as (the owner of {@code /proc/self}),
   * and the members of {@code adminGroups} (names or numeric gids) are administrators.
   *
   * @throws IllegalArgumentException if a group name is not known to the machine
   */
  public static ClientPolicy forThisHost(Set<String> adminGroups) {
    UnixAccounts accounts = new UnixAccounts();
    Set<Integer> gids = new LinkedHashSet<>();
    for (String group : adminGroups) {
      OptionalInt gid = accounts.gid(group);
      if (gid.isEmpty()) {
        throw new IllegalArgumentException("no group named " + group + " on this machine");
      }
      gids.add(gid.getAsInt());
    }
    return new ClientPolicy(new LinkedHashSet<>(java.util.List.of(0, hostUid(accounts))), gids, accounts);
  }

  /**
   * A policy with exactly these administrators: the uids, and the members of the gids. Other uids
   * get standard user tokens, uid 0 included unless listed.
   */
  public static ClientPolicy of(Set<Integer> administratorUids, Set<Integer> administratorGids) {
    return new ClientPolicy(administratorUids, administratorGids, new UnixAccounts());
  }

  /** The same with another user database (tests). */
  static ClientPolicy of(Set<Integer> administratorUids, Set<Integer> administratorGids, UnixAccounts accounts) {
    return new ClientPolicy(administratorUids, administratorGids, accounts);
  }

  /** The uid this process runs as: the owner of {@code /proc/self}, else {@code id -u}. */
  public static int hostUid() {
    return hostUid(new UnixAccounts());
  }

  private static int hostUid(UnixAccounts accounts) {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (uid instanceof Integer value) {
        return value;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // No /proc, or no unix attribute view: ask the user database below.
    }
    return accounts.uid(System.getProperty("user.name", ""))
        .orElseThrow(() -> new IllegalStateException("cannot tell which uid this process runs as"));
  }

  /**
   * A connected peer.
   *
   * @param uid its user id
   * @param gid its primary group id
   * @param userName its login name, or its uid in decimal when the machine has no name for it
   */
  public record Peer(int uid, int gid, String userName) {}

  /**
   * The peer behind the credentials a Unix socket reports ({@code SO_PEERCRED}). The JDK gives
   * names; a numeric name is already the id, other names are looked up in the user database.
   *
   * @throws IllegalArgumentException if a name cannot be mapped to an id
   */
  public Peer identify(UnixDomainPrincipal principal) {
    UserPrincipal user = principal.user();
    int uid = accounts.uid(user.getName())
        .orElseThrow(() -> new IllegalArgumentException("no uid for user " + user.getName()));
    int gid = accounts.gid(principal.group().getName())
        .orElseThrow(() -> new IllegalArgumentException("no gid for group " + principal.group().getName()));
    String name = isNumeric(user.getName()) ? accounts.userName(uid).orElse(user.getName()) : user.getName();
    return new Peer(uid, gid, name);
  }

  /** Whether the peer gets an administrator token. */
  public boolean isAdministrator(Peer peer) {
    if (administratorUids.contains(peer.uid()) || administratorGids.contains(peer.gid())) {
      return true;
    }
    for (int gid : administratorGids) {
      if (accounts.isMember(peer.userName(), gid)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Creates the user-mode client process a connection of {@code peer} is, named {@code
   * processName}: its token is an administrator's or a standard user's ({@link #isAdministrator}),
   * for {@code S-1-22-1-<uid>}. Closing the client runs the process down.
   */
  public LocalNt createClient(Kernel kernel, Peer peer, String processName) {
    return isAdministrator(peer)
        ? LocalNt.administrator(kernel, processName, peer.uid())
        : LocalNt.standardUser(kernel, processName, peer.uid());
  }

  private static boolean isNumeric(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ClientPolicy[administrator uids %s, admin gids %s]",
        administratorUids, administratorGids);
  }
}
