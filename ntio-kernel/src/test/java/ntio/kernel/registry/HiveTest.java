package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_CANNOT_DELETE;
import static ntio.ddk.NtStatus.STATUS_CHILD_MUST_BE_VOLATILE;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_KEY_DELETED;
import static ntio.ddk.NtStatus.STATUS_NO_MORE_ENTRIES;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_COLLISION;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static ntio.ddk.NtStatus.STATUS_REGISTRY_CORRUPT;
import static ntio.ddk.NtStatus.STATUS_REGISTRY_IO_FAILED;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import ntio.api.KeyInfo;
import ntio.api.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiveTest {

  private final Hive hive = Hive.openInMemory();

  @AfterEach
  void closeHive() {
    hive.close();
  }

  private long root() {
    return hive.rootId();
  }

  private long create(long parent, String name) {
    return create(parent, name, 0);
  }

  private long create(long parent, String name, int options) {
    CreateKeyResult result = hive.createKey(parent, name, options);
    assertThat(result.status()).as("create %s", name).isEqualTo(STATUS_SUCCESS);
    return result.keyId();
  }

  private KeyInfo info(long keyId) {
    return hive.info(keyId).info();
  }

  private List<String> subkeyNames(long keyId) {
    List<String> names = new ArrayList<>();
    for (int i = 0; ; i++) {
      EnumeratedKey key = hive.enumerateKey(keyId, i);
      if (key.status().equals(STATUS_NO_MORE_ENTRIES)) {
        return names;
      }
      assertThat(key.status()).isEqualTo(STATUS_SUCCESS);
      names.add(key.name());
    }
  }

  private List<String> valueNames(long keyId) {
    List<String> names = new ArrayList<>();
    for (int i = 0; ; i++) {
      ValueResult value = hive.enumerateValue(keyId, i);
      if (value.status().equals(STATUS_NO_MORE_ENTRIES)) {
        return names;
      }
      assertThat(value.status()).isEqualTo(STATUS_SUCCESS);
      names.add(value.value().name());
    }
  }

  private static byte[] utf16(String text) {
    return text.getBytes(StandardCharsets.UTF_16LE);
  }

  // ---- keys

  @Test
  void rootIsRegistryWithNoParent() {
    KeyInfo root = info(root());
    assertThat(root.name()).isEqualTo("REGISTRY");
    assertThat(root.path()).isEqualTo("\\REGISTRY");
    assertThat(root.parentId()).isZero();
    assertThat(root.isVolatile()).isFalse();
  }

  @Test
  void createReportsCreatedNewKeyThenOpenedExistingKeyWithTheSameId() {
    CreateKeyResult first = hive.createKey(root(), "MACHINE", 0);
    CreateKeyResult second = hive.createKey(root(), "machine", Hive.REG_OPTION_VOLATILE);

    assertThat(first.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(first.disposition()).isEqualTo(Hive.REG_CREATED_NEW_KEY);
    assertThat(first.created()).isTrue();
    assertThat(second.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(second.disposition()).isEqualTo(Hive.REG_OPENED_EXISTING_KEY);
    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(info(second.keyId()).isVolatile()).as("options are ignored on open").isFalse();
  }

  @Test
  void namesKeepTheirCaseAndLookupsIgnoreIt() {
    long machine = create(root(), "Machine");
    long services = create(machine, "SerVices");

    assertThat(hive.lookupChild(machine, "SERVICES").keyId()).isEqualTo(services);
    assertThat(hive.lookupChild(machine, "services").keyId()).isEqualTo(services);
    assertThat(info(services).name()).isEqualTo("SerVices");
    assertThat(info(services).path()).isEqualTo("\\REGISTRY\\Machine\\SerVices");
    assertThat(hive.lookupChild(machine, "Service").status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void upcasingIsPerCharacterAndLeavesSurrogatesAlone() {
    long key = create(root(), "\u00f6\u00f3\u014d\u0371\ud801\udc00");

    assertThat(hive.lookupChild(root(), "\u00d6\u00d3\u014c\u0370\ud801\udc00").keyId())
        .isEqualTo(key);
    assertThat(hive.lookupChild(root(), "\u00d6\u00d3\u014c\u0370\ud801\udc28").status())
        .as("a surrogate pair is not case-folded, as NT leaves it")
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void keyNameOf255CharactersIsAcceptedAnd256IsInvalidParameter() {
    assertThat(hive.createKey(root(), "k".repeat(255), 0).status()).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.createKey(root(), "k".repeat(256), 0).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(hive.lookupChild(root(), "k".repeat(256)).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void emptyNameOrBackslashInANameIsObjectNameInvalid() {
    assertThat(hive.createKey(root(), "", 0).status()).isEqualTo(STATUS_OBJECT_NAME_INVALID);
    assertThat(hive.createKey(root(), "a\\b", 0).status()).isEqualTo(STATUS_OBJECT_NAME_INVALID);
    assertThat(hive.lookupChild(root(), "a\\b").status()).isEqualTo(STATUS_OBJECT_NAME_INVALID);
  }

  @Test
  void unknownCreateOptionIsInvalidParameter() {
    assertThat(hive.createKey(root(), "x", 0x4).status()).isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(hive.createPath(root(), List.of("x"), 0x8).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(hive.lookupChild(root(), "x").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void stableKeyUnderAVolatileKeyIsChildMustBeVolatile() {
    long hardware = create(root(), "HARDWARE", Hive.REG_OPTION_VOLATILE);

    assertThat(hive.createKey(hardware, "Stable", 0).status())
        .isEqualTo(STATUS_CHILD_MUST_BE_VOLATILE);
    assertThat(hive.lookupChild(hardware, "Stable").status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    long child = create(hardware, "Volatile", Hive.REG_OPTION_VOLATILE);
    assertThat(info(child).isVolatile()).isTrue();
    assertThat(info(hardware).isVolatile()).isTrue();
  }

  @Test
  void createPathUnderAVolatileKeyMakesVolatileKeysOnlyWhenAsked() {
    create(root(), "HARDWARE", Hive.REG_OPTION_VOLATILE);

    assertThat(hive.createPath(root(), List.of("HARDWARE", "A", "B"), 0).status())
        .isEqualTo(STATUS_CHILD_MUST_BE_VOLATILE);
    assertThat(hive.resolvePath(root(), List.of("HARDWARE", "A"), true).status())
        .as("the failed call left nothing behind")
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    CreateKeyResult made =
        hive.createPath(root(), List.of("HARDWARE", "A", "B"), Hive.REG_OPTION_VOLATILE);
    assertThat(made.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(made.disposition()).isEqualTo(Hive.REG_CREATED_NEW_KEY);
    assertThat(info(made.keyId()).path()).isEqualTo("\\REGISTRY\\HARDWARE\\A\\B");
  }

  @Test
  void aLinkKeyCannotHaveSubkeys() {
    long link = create(root(), "Link", Hive.REG_OPTION_CREATE_LINK);

    assertThat(hive.createKey(link, "Child", 0).status()).isEqualTo(STATUS_ACCESS_DENIED);
    assertThat(info(link).isLink()).isTrue();
  }

  @Test
  void linkCreateOfAnExistingKeyIsObjectNameCollision() {
    create(root(), "Existing");

    assertThat(hive.createKey(root(), "EXISTING", Hive.REG_OPTION_CREATE_LINK).status())
        .isEqualTo(STATUS_OBJECT_NAME_COLLISION);
    assertThat(hive.createPath(root(), List.of("existing"), Hive.REG_OPTION_CREATE_LINK).status())
        .isEqualTo(STATUS_OBJECT_NAME_COLLISION);
  }

  @Test
  void deleteIsRefusedWhileTheKeyHasSubkeysStableOrVolatile() {
    long parent = create(root(), "Parent");
    long child = create(parent, "Child", Hive.REG_OPTION_VOLATILE);

    assertThat(hive.deleteKey(parent)).isEqualTo(STATUS_CANNOT_DELETE);
    assertThat(hive.deleteKey(child)).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.deleteKey(parent)).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void theRootCannotBeDeleted() {
    assertThat(hive.deleteKey(root())).isEqualTo(STATUS_CANNOT_DELETE);
  }

  @Test
  void everyCallOnADeletedKeyAnswersKeyDeleted() {
    long key = create(root(), "Doomed");
    hive.setValue(key, RegValue.dword("v", 1));
    assertThat(hive.deleteKey(key)).isEqualTo(STATUS_SUCCESS);

    assertThat(hive.info(key).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.deleteKey(key)).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.lookupChild(key, "x").status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.createKey(key, "x", 0).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.createPath(key, List.of("x"), 0).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.resolvePath(key, List.of(), true).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.setValue(key, RegValue.dword("v", 2))).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.queryValue(key, "v").status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.deleteValue(key, "v")).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.enumerateValue(key, 0).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.enumerateKey(key, 0).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.lookupChild(root(), "Doomed").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aRecreatedKeyGetsANewIdAndTheOldOneStaysDeleted() {
    long first = create(root(), "Phoenix");
    hive.deleteKey(first);
    long second = create(root(), "Phoenix");

    assertThat(second).isNotEqualTo(first);
    assertThat(hive.info(first).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.info(second).status()).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void anIdThisHiveNeverIssuedIsACallerBug() {
    assertThatThrownBy(() -> hive.info(987_654_321L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("987654321");
  }

  @Test
  void deletingTheLastSubkeyResetsMaxNameLengthAndUpdatesTheParentsWriteTime() {
    long parent = create(root(), "Parent");
    long child = create(parent, "LongerName");
    create(parent, "ab");
    assertThat(info(parent).maxSubkeyNameBytes()).isEqualTo(20);

    hive.deleteKey(child);
    assertThat(info(parent).maxSubkeyNameBytes())
        .as("NT keeps the high-water mark while subkeys remain")
        .isEqualTo(20);
    hive.deleteKey(hive.lookupChild(parent, "ab").keyId());
    assertThat(info(parent).maxSubkeyNameBytes()).isZero();
  }

  // ---- values

  @Test
  void valueBytesComeBackExactlyAsSetWhateverTheirShape() {
    long key = create(root(), "Values");
    byte[] odd = {0x41, 0x00, 0x42};
    byte[] unterminated = utf16("abc");

    assertThat(hive.setValue(key, "Odd", RegType.REG_SZ, odd)).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.setValue(key, "NoNul", RegType.REG_SZ, unterminated)).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.setValue(key, "Weird", 0x7FFF_1234, new byte[] {1, 2}))
        .isEqualTo(STATUS_SUCCESS);

    assertThat(hive.queryValue(key, "odd").value()).isEqualTo(new RegValue("Odd", 1, odd));
    assertThat(hive.queryValue(key, "NONUL").value().data()).isEqualTo(unterminated);
    assertThat(hive.queryValue(key, "weird").value().type()).isEqualTo(0x7FFF_1234);
  }

  @Test
  void theEmptyNameIsTheDefaultValue() {
    long key = create(root(), "Defaults");

    assertThat(hive.setValue(key, RegValue.string("", "default"))).isEqualTo(STATUS_SUCCESS);

    assertThat(hive.queryValue(key, "").value().stringValue()).contains("default");
    assertThat(info(key).valueCount()).isEqualTo(1);
  }

  @Test
  void settingAnExistingValueKeepsItsPlaceAndTheCaseOfItsName() {
    long key = create(root(), "Order");
    hive.setValue(key, RegValue.dword("First", 1));
    hive.setValue(key, RegValue.dword("Second", 2));

    hive.setValue(key, RegValue.string("FIRST", "again"));

    assertThat(valueNames(key)).containsExactly("First", "Second");
    assertThat(hive.queryValue(key, "first").value()).isEqualTo(RegValue.string("First", "again"));
  }

  @Test
  void valuesEnumerateInCreationOrderAndCloseUpAfterADelete() {
    long key = create(root(), "Order");
    for (String name : List.of("zeta", "Alpha", "mid", "", "beta")) {
      hive.setValue(key, RegValue.dword(name, name.length()));
    }
    assertThat(valueNames(key)).containsExactly("zeta", "Alpha", "mid", "", "beta");

    assertThat(hive.deleteValue(key, "MID")).isEqualTo(STATUS_SUCCESS);

    assertThat(valueNames(key)).containsExactly("zeta", "Alpha", "", "beta");
    assertThat(hive.enumerateValue(key, 3).value().name()).isEqualTo("beta");
    assertThat(hive.enumerateValue(key, 4).status()).isEqualTo(STATUS_NO_MORE_ENTRIES);
    assertThat(hive.enumerateValue(key, -1).status())
        .as("a ULONG index of 0xFFFFFFFF")
        .isEqualTo(STATUS_NO_MORE_ENTRIES);
  }

  @Test
  void deletingOrQueryingAMissingValueIsObjectNameNotFound() {
    long key = create(root(), "Values");

    assertThat(hive.deleteValue(key, "missing")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.queryValue(key, "missing").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void valueNameOf16383CharactersIsAcceptedAnd16384IsInvalidParameter() {
    long key = create(root(), "Values");

    assertThat(hive.setValue(key, RegValue.dword("v".repeat(16383), 1))).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.setValue(key, RegValue.dword("v".repeat(16384), 1)))
        .isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(hive.queryValue(key, "v".repeat(16384)).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(hive.deleteValue(key, "v".repeat(16384))).isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void infoCountsSubkeysAndValuesAndTracksTheMaximaUntilTheListEmpties() {
    long key = create(root(), "Counted");
    create(key, "abc");
    create(key, "Volatile", Hive.REG_OPTION_VOLATILE);
    hive.setValue(key, RegValue.binary("Long name", new byte[100]));
    hive.setValue(key, RegValue.dword("x", 1));

    KeyInfo counted = info(key);
    assertThat(counted.subkeyCount()).isEqualTo(2);
    assertThat(counted.valueCount()).isEqualTo(2);
    assertThat(counted.maxSubkeyNameBytes()).isEqualTo(16);
    assertThat(counted.maxValueNameBytes()).isEqualTo(18);
    assertThat(counted.maxValueDataBytes()).isEqualTo(100);

    hive.deleteValue(key, "Long name");
    assertThat(info(key).maxValueDataBytes()).isEqualTo(100);
    hive.deleteValue(key, "x");
    assertThat(info(key).maxValueDataBytes()).isZero();
    assertThat(info(key).maxValueNameBytes()).isZero();
  }

  @Test
  void lastWriteTimeIsAFileTimeThatMovesOnEveryChange() throws InterruptedException {
    Instant before = Instant.now();
    long key = create(root(), "Timed");
    KeyInfo created = info(key);
    assertThat(created.lastWriteInstant()).isBetween(before.minusSeconds(1), Instant.now());
    assertThat(created.lastWriteTime()).isEqualTo(KeyInfo.toFileTime(created.lastWriteInstant()));

    Thread.sleep(5);
    hive.setValue(key, RegValue.dword("v", 1));
    long afterSet = info(key).lastWriteTime();
    assertThat(afterSet).isGreaterThan(created.lastWriteTime());

    Thread.sleep(5);
    create(key, "child");
    assertThat(info(key).lastWriteTime()).isGreaterThan(afterSet);
    assertThat(Duration.between(created.lastWriteInstant(), info(key).lastWriteInstant()))
        .isLessThan(Duration.ofSeconds(10));
  }

  // ---- enumeration

  @Test
  void subkeysEnumerateSortedByUpcasedName() {
    long key = create(root(), "Sorted");
    for (String name : List.of("b", "_x", "A", "c", "a1", "B2", "\u00e9", "Z")) {
      create(key, name);
    }

    assertThat(subkeyNames(key)).containsExactly("A", "a1", "b", "B2", "c", "Z", "_x", "\u00e9");
  }

  @Test
  void stableSubkeysEnumerateBeforeVolatileOnesAsCmpFindSubKeyByNumberDoes() {
    long key = create(root(), "Mixed");
    create(key, "b");
    create(key, "a", Hive.REG_OPTION_VOLATILE);
    create(key, "d");
    create(key, "c", Hive.REG_OPTION_VOLATILE);

    assertThat(subkeyNames(key)).containsExactly("b", "d", "a", "c");
    assertThat(hive.enumerateKey(key, 4).status()).isEqualTo(STATUS_NO_MORE_ENTRIES);
    assertThat(hive.enumerateKey(key, Integer.MIN_VALUE).status())
        .isEqualTo(STATUS_NO_MORE_ENTRIES);
  }

  @Test
  void enumerationByIndexIsRightForManySubkeysAndIgnoresOtherParents() {
    long crowded = create(root(), "Crowded");
    long neighbour = create(root(), "Neighbour");
    create(neighbour, "0000");
    List<String> names = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 3000; i++) {
      String name = String.format("k%05d", random.nextInt(100_000));
      if (hive.createKey(crowded, name, 0).created()) {
        names.add(name);
      }
    }
    names.sort(String::compareTo);

    assertThat(info(crowded).subkeyCount()).isEqualTo(names.size());
    for (int i : new int[] {0, 1, names.size() / 2, names.size() - 1}) {
      assertThat(hive.enumerateKey(crowded, i).name()).isEqualTo(names.get(i));
    }
    assertThat(hive.enumerateKey(crowded, names.size()).status()).isEqualTo(STATUS_NO_MORE_ENTRIES);
    assertThat(subkeyNames(neighbour)).containsExactly("0000");
  }

  // ---- paths and links

  @Test
  void resolvePathWalksCaseInsensitivelyAndSkipsEmptyComponents() {
    long services = hive.createPath(root(), List.of("MACHINE", "SYSTEM", "Services"), 0).keyId();

    assertThat(hive.resolvePath(root(), List.of("machine", "", "system", "SERVICES", ""), true))
        .isEqualTo(new KeyResult(STATUS_SUCCESS, services));
    assertThat(hive.resolvePath(services, List.of(), true).keyId()).isEqualTo(services);
  }

  @Test
  void aMissingComponentLastOrNotIsObjectNameNotFoundAsCmpParseKeyAnswers() {
    hive.createPath(root(), List.of("MACHINE", "SYSTEM"), 0);

    assertThat(hive.resolvePath(root(), List.of("MACHINE", "SYSTEM", "Nope"), true).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.resolvePath(root(), List.of("MACHINE", "Nope", "Services"), true).status())
        .as("NtCreateKey of test\\sub\\key with test missing: STATUS_OBJECT_NAME_NOT_FOUND")
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.resolvePath(root(), List.of("MACHINE", "k".repeat(256)), true).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void B9_keyOpenedThroughCurrentControlSetReportsControlSet001Path() {
    assertThat(HiveLayout.ensure(hive)).isEqualTo(STATUS_SUCCESS);
    long echo =
        hive.createPath(
                root(), List.of("MACHINE", "SYSTEM", "ControlSet001", "Services", "Echo"), 0)
            .keyId();

    KeyResult opened =
        hive.resolvePath(
            root(), List.of("Machine", "System", "CurrentControlSet", "Services", "Echo"), true);

    assertThat(opened).isEqualTo(new KeyResult(STATUS_SUCCESS, echo));
    assertThat(info(opened.keyId()).path())
        .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo");
  }

  @Test
  void theLastLinkIsFollowedOnlyWhenAskedButEarlierOnesAlways() {
    HiveLayout.ensure(hive);
    List<String> link = List.of("MACHINE", "SYSTEM", "CurrentControlSet");

    KeyResult itself = hive.resolvePath(root(), link, false);
    KeyResult followed = hive.resolvePath(root(), link, true);

    assertThat(info(itself.keyId()).isLink()).isTrue();
    assertThat(info(itself.keyId()).isVolatile()).isTrue();
    assertThat(info(followed.keyId()).path())
        .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001");
    assertThat(
            info(hive.resolvePath(
                        root(),
                        List.of("MACHINE", "SYSTEM", "CurrentControlSet", "Services"),
                        false)
                    .keyId())
                .path())
        .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services");
  }

  @Test
  void createPathCreatesMissingKeysInTheLinksTarget() {
    HiveLayout.ensure(hive);

    CreateKeyResult made =
        hive.createPath(
            root(),
            List.of("MACHINE", "SYSTEM", "CurrentControlSet", "Services", "New", "Parameters"),
            0);

    assertThat(made.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(made.disposition()).isEqualTo(Hive.REG_CREATED_NEW_KEY);
    assertThat(info(made.keyId()).path())
        .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\New\\Parameters");
    assertThat(info(made.keyId()).isVolatile()).isFalse();
    CreateKeyResult again =
        hive.createPath(
            root(),
            List.of("MACHINE", "SYSTEM", "CurrentControlSet", "Services", "NEW", "parameters"),
            0);
    assertThat(again.disposition()).isEqualTo(Hive.REG_OPENED_EXISTING_KEY);
    assertThat(again.keyId()).isEqualTo(made.keyId());
  }

  @Test
  void aLinkCreatedByCreatePathIsNotFollowed() {
    CreateKeyResult link =
        hive.createPath(root(), List.of("A", "Link"), Hive.REG_OPTION_CREATE_LINK);

    assertThat(link.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(info(link.keyId()).isLink()).isTrue();
    assertThat(info(hive.resolvePath(root(), List.of("A"), true).keyId()).isLink()).isFalse();
  }

  private long link(long parent, String name, String target) {
    long link = create(parent, name, Hive.REG_OPTION_CREATE_LINK);
    assertThat(hive.setValue(link, RegValue.link(Hive.SYMBOLIC_LINK_VALUE, target)))
        .isEqualTo(STATUS_SUCCESS);
    return link;
  }

  @Test
  void aChainOf31LinksResolvesAndOf32IsObjectNameNotFound() {
    long target = create(root(), "Target");
    link(root(), "L1", "\\REGISTRY\\Target");
    for (int i = 2; i <= 32; i++) {
      link(root(), "L" + i, "\\Registry\\L" + (i - 1));
    }

    assertThat(hive.resolvePath(root(), List.of("L31"), true).keyId()).isEqualTo(target);
    assertThat(hive.resolvePath(root(), List.of("L32"), true).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aLinkLoopIsObjectNameNotFound() {
    link(root(), "Ping", "\\REGISTRY\\Pong");
    link(root(), "Pong", "\\REGISTRY\\Ping");

    assertThat(hive.resolvePath(root(), List.of("Ping", "Below"), true).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aLinkWithoutAWellFormedTargetIsObjectNameNotFound() {
    create(root(), "NoValue", Hive.REG_OPTION_CREATE_LINK);
    long wrongType = create(root(), "WrongType", Hive.REG_OPTION_CREATE_LINK);
    hive.setValue(wrongType, RegValue.string(Hive.SYMBOLIC_LINK_VALUE, "\\REGISTRY"));
    link(root(), "Relative", "REGISTRY\\X");
    long odd = create(root(), "Odd", Hive.REG_OPTION_CREATE_LINK);
    hive.setValue(odd, Hive.SYMBOLIC_LINK_VALUE, RegType.REG_LINK, new byte[] {0x5c, 0, 0x41});

    for (String name : List.of("NoValue", "WrongType", "Relative", "Odd")) {
      assertThat(hive.resolvePath(root(), List.of(name), true).status())
          .as(name)
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(hive.resolvePath(root(), List.of(name), false).status())
          .as("%s opened as a link", name)
          .isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void aLinkIntoTheObjectNamespaceOutsideTheRegistryFailsAsTheObjectManagerWould() {
    link(root(), "ToDevice", "\\Device\\Null");
    link(root(), "ToName", "\\Nothing");
    link(root(), "ToRoot", "\\");

    assertThat(hive.resolvePath(root(), List.of("ToDevice"), true).status())
        .isEqualTo(STATUS_OBJECT_PATH_NOT_FOUND);
    assertThat(hive.resolvePath(root(), List.of("ToName"), true).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.resolvePath(root(), List.of("ToName", "More"), true).status())
        .isEqualTo(STATUS_OBJECT_PATH_NOT_FOUND);
    assertThat(hive.resolvePath(root(), List.of("ToRoot"), true).status())
        .isEqualTo(STATUS_OBJECT_TYPE_MISMATCH);
  }

  @Test
  void aLinkTargetWithATrailingNulDoesNotResolveBecauseNtTakesTheWholeData() {
    create(root(), "Target");
    long link = create(root(), "Link", Hive.REG_OPTION_CREATE_LINK);
    hive.setValue(link, Hive.SYMBOLIC_LINK_VALUE, RegType.REG_LINK, utf16("\\REGISTRY\\Target\0"));

    assertThat(hive.resolvePath(root(), List.of("Link"), true).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  // ---- persistence

  @Test
  void volatileKeysAreGoneAfterReopenWhileStableOnesStay(@TempDir Path dir) {
    Path file = dir.resolve("hive.mv");
    long stableId;
    try (Hive first = Hive.open(file).hive()) {
      stableId =
          first.createPath(first.rootId(), List.of("MACHINE", "SOFTWARE", "Keep"), 0).keyId();
      first.setValue(stableId, RegValue.string("Kept", "yes"));
      long volatileId =
          first
              .createPath(first.rootId(), List.of("MACHINE", "Temp"), Hive.REG_OPTION_VOLATILE)
              .keyId();
      first.setValue(volatileId, RegValue.dword("Gone", 1));
      assertThat(
              first.info(first.lookupChild(first.rootId(), "MACHINE").keyId()).info().subkeyCount())
          .isEqualTo(2);
    }

    try (Hive second = Hive.open(file).hive()) {
      KeyResult keep =
          second.resolvePath(second.rootId(), List.of("MACHINE", "SOFTWARE", "Keep"), true);
      assertThat(keep).isEqualTo(new KeyResult(STATUS_SUCCESS, stableId));
      assertThat(second.queryValue(keep.keyId(), "kept").value().stringValue()).contains("yes");
      assertThat(second.resolvePath(second.rootId(), List.of("MACHINE", "Temp"), true).status())
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      long machine = second.lookupChild(second.rootId(), "MACHINE").keyId();
      assertThat(second.info(machine).info().subkeyCount()).isEqualTo(1);
      assertThat(second.checkRegistry()).isEmpty();
    }
  }

  @Test
  void idsIssuedAfterAReopenStartAboveEveryStoredId(@TempDir Path dir) {
    Path file = dir.resolve("hive.mv");
    long last;
    try (Hive first = Hive.open(file).hive()) {
      first.createKey(first.rootId(), "One", 0);
      last = first.createKey(first.rootId(), "Two", 0).keyId();
    }
    try (Hive second = Hive.open(file).hive()) {
      assertThat(second.createKey(second.rootId(), "Three", 0).keyId()).isGreaterThan(last);
    }
  }

  @Test
  void aClosedHiveAnswersKeyDeletedForEveryKey() {
    long key = create(root(), "Open");
    hive.close();

    assertThat(hive.info(key).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.createKey(root(), "New", 0).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.setValue(key, RegValue.dword("v", 1))).isEqualTo(STATUS_KEY_DELETED);
    assertThat(hive.flush()).isEqualTo(STATUS_KEY_DELETED);
    hive.close();
  }

  @Test
  void flushForcesAFileHiveAndIsANoOpInMemory(@TempDir Path dir) {
    assertThat(hive.flush()).isEqualTo(STATUS_SUCCESS);
    try (Hive file = Hive.open(dir.resolve("hive.mv")).hive()) {
      file.setValue(file.rootId(), RegValue.dword("v", 1));
      assertThat(file.flush()).isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void aFileThatIsNotAHiveIsRegistryCorrupt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("garbage.mv");
    byte[] garbage = new byte[64 * 1024];
    new Random(7).nextBytes(garbage);
    Files.write(file, garbage);

    Hive.OpenResult result = Hive.open(file);

    assertThat(result.status()).isEqualTo(STATUS_REGISTRY_CORRUPT);
    assertThatThrownBy(result::hive).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anMvStoreFileThatIsNotAHiveIsRegistryCorruptAndLeftUntouched(@TempDir Path dir) {
    Path file = dir.resolve("other.mv");
    MVStore other = MVStore.open(file.toString());
    other.<String, String>openMap("data").put("a", "b");
    other.close();

    assertThat(Hive.open(file).status()).isEqualTo(STATUS_REGISTRY_CORRUPT);

    MVStore again = MVStore.open(file.toString());
    assertThat(again.getMapNames()).containsExactly("data");
    again.close();
  }

  @Test
  void aHiveFileOpenElsewhereIsRegistryIoFailed(@TempDir Path dir) {
    Path file = dir.resolve("hive.mv");
    try (Hive first = Hive.open(file).hive()) {
      assertThat(first.rootId()).isPositive();
      assertThat(Hive.open(file).status()).isEqualTo(STATUS_REGISTRY_IO_FAILED);
    }
    Hive.OpenResult again = Hive.open(file);
    assertThat(again.status()).isEqualTo(STATUS_SUCCESS);
    again.hive().close();
  }

  @Test
  void aHiveFileInAMissingDirectoryIsRegistryIoFailed(@TempDir Path dir) {
    assertThat(Hive.open(dir.resolve("missing").resolve("hive.mv")).status())
        .isEqualTo(STATUS_REGISTRY_IO_FAILED);
  }

  @Test
  void aNewHiveFileLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hive.mv");
    Hive.open(file).hive().close();

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("hive.mv");
    }
  }

  @Test
  void aFailedCallLeavesNoTraceAndTheRegistryStaysConsistent() {
    long parent = create(root(), "Parent", Hive.REG_OPTION_VOLATILE);
    NtStatus refused = hive.createPath(root(), List.of("Parent", "a", "b"), 0).status();

    assertThat(refused).isEqualTo(STATUS_CHILD_MUST_BE_VOLATILE);
    assertThat(info(parent).subkeyCount()).isZero();
    assertThat(hive.checkRegistry()).isEmpty();
  }

  @Test
  void aChangeThatFailsHalfwayIsRolledBackInAFileHiveToo(@TempDir Path dir) {
    Path file = dir.resolve("hive.mv");
    try (Hive first = Hive.open(file).hive()) {
      long kept = first.createKey(first.rootId(), "Kept", 0).keyId();
      first.setValue(kept, RegValue.dword("v", 1));

      NtStatus refused =
          first.createPath(first.rootId(), List.of("Fresh", "Deeper", "k".repeat(256)), 0).status();

      assertThat(refused).isEqualTo(STATUS_INVALID_PARAMETER);
      assertThat(first.lookupChild(first.rootId(), "Fresh").status())
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(first.setValue(kept, RegValue.dword("w", 2))).isEqualTo(STATUS_SUCCESS);
      assertThat(first.checkRegistry()).isEmpty();
    }
    try (Hive second = Hive.open(file).hive()) {
      assertThat(second.lookupChild(second.rootId(), "Fresh").status())
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      long kept = second.lookupChild(second.rootId(), "Kept").keyId();
      assertThat(second.queryValue(kept, "v").value().dwordValue()).hasValue(1);
      assertThat(second.queryValue(kept, "w").value().dwordValue()).hasValue(2);
      assertThat(second.checkRegistry()).isEmpty();
    }
  }

  @Test
  void theIntegrityCheckFindsNothingWrongAfterAMixedWorkload() {
    long a = create(root(), "A");
    long b = create(a, "B", Hive.REG_OPTION_VOLATILE);
    long c = create(a, "C");
    hive.setValue(b, RegValue.binary("x", new byte[] {1}));
    hive.setValue(c, RegValue.binary("y", new byte[] {2}));
    hive.setValue(c, RegValue.binary("z", new byte[] {3}));
    hive.deleteValue(c, "y");
    hive.deleteKey(b);
    hive.setValue(a, RegValue.qword("q", Long.MAX_VALUE));

    assertThat(hive.checkRegistry()).isEmpty();
    assertThat(Arrays.asList(info(a).subkeyCount(), info(c).valueCount())).containsExactly(1, 1);
  }
}
