package ntio.kernel.security;

import static ntio.api.LuidAndAttributes.SE_PRIVILEGE_ENABLED;
import static ntio.api.LuidAndAttributes.SE_PRIVILEGE_ENABLED_BY_DEFAULT;
import static ntio.api.LuidAndAttributes.SE_PRIVILEGE_REMOVED;
import static ntio.api.Privilege.SE_CHANGE_NOTIFY_PRIVILEGE;
import static ntio.api.Privilege.SE_CREATE_GLOBAL_PRIVILEGE;
import static ntio.api.Privilege.SE_DEBUG_PRIVILEGE;
import static ntio.api.Privilege.SE_IMPERSONATE_PRIVILEGE;
import static ntio.api.Privilege.SE_LOAD_DRIVER_PRIVILEGE;
import static ntio.api.Privilege.SE_SHUTDOWN_PRIVILEGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.Luid;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TokenTest {

  private final Tokens tokens = new Tokens(new LuidAllocator());
  private final Sid alice = Sid.unixUser(1000);

  @Test
  void enablingAHeldPrivilegeSucceedsAndReturnsItsPreviousState() {
    Token admin = tokens.administrator(alice);

    AdjustPrivilegesResult result =
        admin.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE)));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.previousState())
        .containsExactly(new LuidAndAttributes(SE_LOAD_DRIVER_PRIVILEGE.luid(), 0));
    assertThat(admin.isPrivilegeEnabled(SE_LOAD_DRIVER_PRIVILEGE)).isTrue();
  }

  @Test
  void enablingAnEnabledPrivilegeChangesNothingAndReportsNoPreviousState() {
    Token admin = tokens.administrator(alice);

    AdjustPrivilegesResult result =
        admin.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_CHANGE_NOTIFY_PRIVILEGE)));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.previousState()).isEmpty();
  }

  @Test
  void adjustingAnAbsentPrivilegeReturnsNotAllAssigned() {
    Token user = tokens.standardUser(alice);

    AdjustPrivilegesResult result =
        user.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE)));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_NOT_ALL_ASSIGNED);
    assertThat(result.status().isSuccess()).isTrue();
    assertThat(result.previousState()).isEmpty();
    assertThat(user.hasPrivilege(SE_LOAD_DRIVER_PRIVILEGE)).isFalse();
    assertThat(user.isPrivilegeEnabled(SE_LOAD_DRIVER_PRIVILEGE)).isFalse();
  }

  @Test
  void heldPrivilegesAreStillAdjustedWhenSomeRequestedAreAbsent() {
    Token user = tokens.standardUser(alice);

    AdjustPrivilegesResult result =
        user.adjustPrivileges(
            List.of(
                LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE),
                LuidAndAttributes.enable(SE_SHUTDOWN_PRIVILEGE)));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_NOT_ALL_ASSIGNED);
    assertThat(result.previousState())
        .containsExactly(new LuidAndAttributes(SE_SHUTDOWN_PRIVILEGE.luid(), 0));
    assertThat(user.isPrivilegeEnabled(SE_SHUTDOWN_PRIVILEGE)).isTrue();
  }

  @Test
  void aLuidThatNamesNoPrivilegeIsNotAssigned() {
    Token system = tokens.system();

    AdjustPrivilegesResult result =
        system.adjustPrivileges(List.of(new LuidAndAttributes(Luid.of(0, 99), 0)));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_NOT_ALL_ASSIGNED);
    assertThat(result.previousState()).isEmpty();
  }

  @Test
  void aPrivilegeRequestedTwiceIsNotAllAssignedAsInNt() {
    Token admin = tokens.administrator(alice);

    AdjustPrivilegesResult result =
        admin.adjustPrivileges(
            List.of(
                LuidAndAttributes.enable(SE_DEBUG_PRIVILEGE),
                LuidAndAttributes.disable(SE_DEBUG_PRIVILEGE)));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_NOT_ALL_ASSIGNED);
    assertThat(admin.isPrivilegeEnabled(SE_DEBUG_PRIVILEGE)).as("first request wins").isTrue();
  }

  @Test
  void anEmptyRequestSucceedsAndChangesNothing() {
    Token admin = tokens.administrator(alice);
    List<PrivilegeAndAttributes> before = admin.privileges();

    AdjustPrivilegesResult result = admin.adjustPrivileges(List.of());

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.previousState()).isEmpty();
    assertThat(admin.privileges()).isEqualTo(before);
  }

  @Test
  void disablingKeepsTheEnabledByDefaultBit() {
    Token admin = tokens.administrator(alice);
    int enabledByDefault = SE_PRIVILEGE_ENABLED_BY_DEFAULT | SE_PRIVILEGE_ENABLED;

    AdjustPrivilegesResult disabled =
        admin.adjustPrivileges(List.of(LuidAndAttributes.disable(SE_CHANGE_NOTIFY_PRIVILEGE)));
    AdjustPrivilegesResult reenabled =
        admin.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_CHANGE_NOTIFY_PRIVILEGE)));

    assertThat(disabled.previousState())
        .containsExactly(
            new LuidAndAttributes(SE_CHANGE_NOTIFY_PRIVILEGE.luid(), enabledByDefault));
    assertThat(reenabled.previousState())
        .containsExactly(
            new LuidAndAttributes(
                SE_CHANGE_NOTIFY_PRIVILEGE.luid(), SE_PRIVILEGE_ENABLED_BY_DEFAULT));
    assertThat(attributesOf(admin, SE_CHANGE_NOTIFY_PRIVILEGE)).isEqualTo(enabledByDefault);
  }

  @Test
  void aRemovedPrivilegeIsGoneAndCanNeverBeEnabledAgain() {
    Token admin = tokens.administrator(alice);

    AdjustPrivilegesResult removed =
        admin.adjustPrivileges(List.of(LuidAndAttributes.remove(SE_DEBUG_PRIVILEGE)));

    assertThat(removed.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(removed.previousState())
        .containsExactly(new LuidAndAttributes(SE_DEBUG_PRIVILEGE.luid(), 0));
    assertThat(admin.hasPrivilege(SE_DEBUG_PRIVILEGE)).isFalse();
    assertThat(admin.privileges()).extracting(PrivilegeAndAttributes::privilege)
        .doesNotContain(SE_DEBUG_PRIVILEGE)
        .hasSize(23);

    AdjustPrivilegesResult enable =
        admin.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_DEBUG_PRIVILEGE)));
    AdjustPrivilegesResult removeAgain =
        admin.adjustPrivileges(List.of(LuidAndAttributes.remove(SE_DEBUG_PRIVILEGE)));

    assertThat(enable.status()).isEqualTo(NtStatus.STATUS_NOT_ALL_ASSIGNED);
    assertThat(removeAgain.status()).isEqualTo(NtStatus.STATUS_NOT_ALL_ASSIGNED);
    assertThat(admin.isPrivilegeEnabled(SE_DEBUG_PRIVILEGE)).isFalse();
    assertThat(admin.hasPrivilege(SE_DEBUG_PRIVILEGE)).isFalse();
  }

  @Test
  void removalWinsOverEnableInTheSameRequest() {
    Token admin = tokens.administrator(alice);

    admin.adjustPrivileges(
        List.of(
            new LuidAndAttributes(
                SE_DEBUG_PRIVILEGE.luid(), SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_REMOVED)));

    assertThat(admin.hasPrivilege(SE_DEBUG_PRIVILEGE)).isFalse();
  }

  @Test
  void disableAllDisablesEveryEnabledPrivilegeAndReturnsThoseItChanged() {
    Token admin = tokens.administrator(alice);
    int enabledByDefault = SE_PRIVILEGE_ENABLED_BY_DEFAULT | SE_PRIVILEGE_ENABLED;

    AdjustPrivilegesResult result = admin.disableAllPrivileges();

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.previousState())
        .containsExactly(
            new LuidAndAttributes(SE_CHANGE_NOTIFY_PRIVILEGE.luid(), enabledByDefault),
            new LuidAndAttributes(SE_IMPERSONATE_PRIVILEGE.luid(), enabledByDefault),
            new LuidAndAttributes(SE_CREATE_GLOBAL_PRIVILEGE.luid(), enabledByDefault));
    assertThat(admin.privileges()).hasSize(24).noneMatch(PrivilegeAndAttributes::isEnabled);
    assertThat(admin.hasPrivilege(SE_CHANGE_NOTIFY_PRIVILEGE)).isTrue();
  }

  @Test
  void privilegeSnapshotIsImmutableAndDoesNotFollowLaterChanges() {
    Token user = tokens.standardUser(alice);
    List<PrivilegeAndAttributes> snapshot = user.privileges();

    user.adjustPrivileges(List.of(LuidAndAttributes.enable(SE_SHUTDOWN_PRIVILEGE)));

    assertThat(snapshot.get(0)).isEqualTo(PrivilegeAndAttributes.disabled(SE_SHUTDOWN_PRIVILEGE));
    assertThatThrownBy(() -> snapshot.add(PrivilegeAndAttributes.enabled(SE_DEBUG_PRIVILEGE)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void containsSidMatchesUserAndEnabledGroupsAndDenyOnlyGroupsForDenyOnly() {
    Sid disabledGroup = Sid.unixGroup(10);
    Sid denyOnlyGroup = Sid.unixGroup(20);
    Token token =
        tokens.create(
            alice,
            List.of(
                new SidAndAttributes(Sid.EVERYONE, SidAndAttributes.DEFAULT_GROUP),
                new SidAndAttributes(disabledGroup, 0),
                new SidAndAttributes(denyOnlyGroup, SidAndAttributes.SE_GROUP_USE_FOR_DENY_ONLY)),
            List.of(),
            alice,
            false);

    assertThat(token.containsSid(alice, false)).isTrue();
    assertThat(token.containsSid(Sid.EVERYONE, false)).isTrue();
    assertThat(token.containsSid(Sid.EVERYONE, true)).isTrue();
    assertThat(token.containsSid(disabledGroup, false)).isFalse();
    assertThat(token.containsSid(disabledGroup, true)).isFalse();
    assertThat(token.containsSid(denyOnlyGroup, false)).isFalse();
    assertThat(token.containsSid(denyOnlyGroup, true)).isTrue();
    assertThat(token.containsSid(Sid.BUILTIN_USERS, true)).isFalse();
  }

  @Test
  void theDefaultOwnerMustBeTheUserOrAnOwnerGroup() {
    assertThatThrownBy(
            () ->
                tokens.create(
                    alice,
                    List.of(
                        new SidAndAttributes(Sid.BUILTIN_USERS, SidAndAttributes.DEFAULT_GROUP)),
                    List.of(),
                    Sid.BUILTIN_USERS,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "default owner S-1-5-32-545 is neither the user S-1-22-1-1000 nor a group with"
                + " SE_GROUP_OWNER");
  }

  @Test
  void aPrivilegeListedTwiceIsABug() {
    assertThatThrownBy(
            () ->
                tokens.create(
                    alice,
                    List.of(),
                    List.of(
                        PrivilegeAndAttributes.enabled(SE_DEBUG_PRIVILEGE),
                        PrivilegeAndAttributes.disabled(SE_DEBUG_PRIVILEGE)),
                    alice,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("privilege SeDebugPrivilege listed twice");
  }

  @Test
  @Timeout(10)
  void concurrentIdenticalAdjustmentsChangeThePrivilegeExactlyOnce() throws InterruptedException {
    int threads = 16;
    for (int round = 0; round < 50; round++) {
      Token admin = tokens.administrator(alice);
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(threads);
      AtomicInteger changers = new AtomicInteger();
      AtomicInteger partialChanges = new AtomicInteger();
      for (int t = 0; t < threads; t++) {
        new Thread(
                () -> {
                  try {
                    start.await();
                    AdjustPrivilegesResult result =
                        admin.adjustPrivileges(
                            List.of(
                                LuidAndAttributes.enable(SE_DEBUG_PRIVILEGE),
                                LuidAndAttributes.enable(SE_LOAD_DRIVER_PRIVILEGE)));
                    int changed = result.previousState().size();
                    if (changed == 2) {
                      changers.incrementAndGet();
                    } else if (changed != 0) {
                      partialChanges.incrementAndGet();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    done.countDown();
                  }
                })
            .start();
      }
      start.countDown();

      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(changers.get()).isEqualTo(1);
      assertThat(partialChanges.get()).isZero();
    }
  }

  @Test
  void toStringNamesTheIdAndUser() {
    Tokens fresh = new Tokens(new LuidAllocator());

    assertThat(fresh.system()).hasToString("Token 0x0:0x3E8 (NT AUTHORITY\\SYSTEM)");
  }

  private static int attributesOf(Token token, Privilege privilege) {
    return token.privileges().stream()
        .filter(p -> p.privilege() == privilege)
        .findFirst()
        .orElseThrow()
        .attributes();
  }
}
