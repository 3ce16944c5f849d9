package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import jdk.net.UnixDomainPrincipal;
import ntio.api.TokenInfo;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPolicyTest {

  @TempDir Path directory;
  private UnixAccounts accounts;

  @BeforeEach
  void accounts() throws IOException {
    Path passwd = directory.resolve("passwd");
    Path group = directory.resolve("group");
    Files.writeString(passwd, String.join("\n",
        "root:x:0:0:root:/root:/bin/bash",
        "# a comment",
        "alice:x:1000:1000::/home/alice:/bin/sh",
        "bob:x:1001:1001::/home/bob:/bin/sh",
        "carol:x:1002:4242::/home/carol:/bin/sh"));
    Files.writeString(group, String.join("\n",
        "root:x:0:",
        "alice:x:1000:",
        "bob:x:1001:",
        "ntio-admins:x:4242:bob,dave"));
    accounts = new UnixAccounts(passwd, group);
  }

  @Test
  void namesAndNumbersMapToIds() {
    assertThat(accounts.uid("alice")).hasValue(1000);
    assertThat(accounts.uid("1234")).hasValue(1234);
    assertThat(accounts.gid("ntio-admins")).hasValue(4242);
    assertThat(accounts.gid("77")).hasValue(77);
    assertThat(accounts.userName(1001)).hasValue("bob");
  }

  @Test
  void thePeersPrincipalNamesBecomeItsIds() {
    ClientPolicy policy = ClientPolicy.of(Set.of(), Set.of(), accounts);
    assertThat(policy.identify(principal("alice", "alice"))).isEqualTo(new ClientPolicy.Peer(1000, 1000, "alice"));
    assertThat(policy.identify(principal("1001", "1001"))).isEqualTo(new ClientPolicy.Peer(1001, 1001, "bob"));
    assertThat(policy.identify(principal("5000", "5000"))).isEqualTo(new ClientPolicy.Peer(5000, 5000, "5000"));
  }

  @Test
  void aPrincipalNameTheMachineDoesNotKnowIsRefused() {
    ClientPolicy policy = ClientPolicy.of(Set.of(), Set.of(), accounts);
    assertThatThrownBy(() -> policy.identify(principal("no-such-user-anywhere", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no uid");
  }

  @Test
  void listedUidsAreAdministratorsAndOthersStandardUsers() {
    ClientPolicy policy = ClientPolicy.of(Set.of(0, 1000), Set.of(), accounts);
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(0, 0, "root"))).isTrue();
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(1000, 1000, "alice"))).isTrue();
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(1001, 1001, "bob"))).isFalse();
  }

  @Test
  void anAdminGroupCountsAsPrimaryGroupAndAsSupplementaryMembership() {
    ClientPolicy policy = ClientPolicy.of(Set.of(), Set.of(4242), accounts);
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(1002, 4242, "carol"))).as("primary group").isTrue();
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(1001, 1001, "bob"))).as("listed member").isTrue();
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(1000, 1000, "alice"))).isFalse();
  }

  @Test
  void theHostsOwnUidIsAnAdministrator() {
    ClientPolicy policy = ClientPolicy.forThisHost(Set.of());
    int me = ClientPolicy.hostUid();
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(me, me, "me"))).isTrue();
    assertThat(policy.isAdministrator(new ClientPolicy.Peer(0, 0, "root"))).isTrue();
  }

  @Test
  void anUnknownAdminGroupIsAConfigurationError() {
    assertThatThrownBy(() -> ClientPolicy.forThisHost(Set.of("no-such-group-anywhere")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-group-anywhere");
  }

  @Test
  void theTokenIsAnAdministratorsOrAStandardUsersForTheUnixUserSid() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(directory.resolve("state")))) {
      ClientPolicy policy = ClientPolicy.of(Set.of(1000), Set.of(), accounts);
      TokenInfo admin = policy.createClient(kernel, new ClientPolicy.Peer(1000, 1000, "alice"), "a").queryToken();
      TokenInfo user = policy.createClient(kernel, new ClientPolicy.Peer(1001, 1001, "bob"), "b").queryToken();
      assertThat(admin.elevated()).isTrue();
      assertThat(admin.userSid()).isEqualTo("S-1-22-1-1000");
      assertThat(user.elevated()).isFalse();
      assertThat(user.userSid()).isEqualTo("S-1-22-1-1001");
    }
  }

  private static UnixDomainPrincipal principal(String user, String group) {
    UserPrincipal u = () -> user;
    GroupPrincipal g = () -> group;
    return new UnixDomainPrincipal(u, g);
  }
}
