package ntio.api;

import java.util.List;

/**
 * What {@code NtQueryInformationToken} tells a client of its own token: the user, the groups and
 * the privileges with their state (TokenUser, TokenGroups, TokenPrivileges).
 *
 * @param processId the client process's id
 * @param processName the client process's name
 * @param user the user's display name
 * @param userSid the user's SID, as {@code S-1-5-…}
 * @param elevated whether the token is an administrator's (TokenElevation)
 * @param groups the groups, in token order
 * @param privileges the privileges the token holds, in token order
 */
public record TokenInfo(int processId, String processName, String user, String userSid, boolean elevated,
    List<Group> groups, List<Privilege> privileges) {

  /** Copies the lists. */
  public TokenInfo {
    groups = List.copyOf(groups);
    privileges = List.copyOf(privileges);
  }

  /** One group: display name, SID, enabled. */
  public record Group(String name, String sid, boolean enabled) {}

  /**
   * One privilege.
   *
   * @param luid its LUID's low part (SeLoadDriverPrivilege is 10)
   * @param name its programmatic name, such as {@code SeLoadDriverPrivilege}
   * @param description what {@code whoami /priv} shows as its description
   * @param enabled whether it is enabled
   */
  public record Privilege(int luid, String name, String description, boolean enabled) {}
}
