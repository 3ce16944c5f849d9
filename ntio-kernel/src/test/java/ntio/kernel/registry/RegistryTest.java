package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_CANNOT_DELETE;
import static ntio.ddk.NtStatus.STATUS_CHILD_MUST_BE_VOLATILE;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_KEY_DELETED;
import static ntio.ddk.NtStatus.STATUS_NO_MORE_ENTRIES;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfo;
import ntio.api.KeyInfoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.Caller;
import ntio.kernel.objects.HandleTable;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.security.LuidAllocator;
import ntio.kernel.security.Sddl;
import ntio.kernel.security.SecurityDescriptor;
import ntio.kernel.security.Sid;
import ntio.kernel.security.Token;
import ntio.kernel.security.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {

  private static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";

  record TestCaller(HandleTable handleTable, Token token, ProcessorMode previousMode) implements Caller {}

  @TempDir Path state;

  private final Tokens tokens = new Tokens(new LuidAllocator());
  private final SecurityDescriptor keys = sddl("D:P(A;;KA;;;SY)(A;;KA;;;BA)(A;;KR;;;WD)");
  private ObjectManager objects;
  private Registry registry;
  private Caller admin;
  private Caller user;

  private static SecurityDescriptor sddl(String text) {
    return Sddl.parse(text).descriptor().orElseThrow();
  }

  private void boot() {
    objects = new ObjectManager(tokens.system(), sddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;WD)"));
    registry = Registry.boot(objects, state.resolve("SYSTEM.mv.db"), keys);
    admin = new TestCaller(new HandleTable("admin", false), tokens.administrator(Sid.unixUser(1000)), ProcessorMode.USER);
    user = new TestCaller(new HandleTable("user", false), tokens.standardUser(Sid.unixUser(1001)), ProcessorMode.USER);
  }

  RegistryTest() {
    // Each test boots in its @TempDir; see boot().
  }

  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
  }

  private KeyCreateResult create(Caller caller, String path, int options) {
    return registry.ntCreateKey(caller, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(path), options);
  }

  @Test
  void B9_aKeyOpenedThroughCurrentControlSetReportsItsResolvedControlSet001Name() {
    boot();
    KeyCreateResult echo = create(admin, SERVICES + "\\Echo", 0);
    assertThat(echo.status()).isEqualTo(STATUS_SUCCESS);

    KeyInfoResult info = registry.ntQueryKey(admin, echo.handle());

    assertThat(info.info().path()).isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo");
    assertThat(objects.ntQueryObject(admin, echo.handle()).info().name())
        .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo");
  }

  @Test
  void aCreateTellsWhetherItCreatedOrOpenedTheKey() {
    boot();
    assertThat(create(admin, SERVICES + "\\Echo", 0).disposition()).isEqualTo(Hive.REG_CREATED_NEW_KEY);
    assertThat(create(admin, SERVICES + "\\ECHO", 0).disposition()).isEqualTo(Hive.REG_OPENED_EXISTING_KEY);
  }

  @Test
  void aCreateDoesNotMakeMissingParentsAndAnOpenOfAMissingKeyIsNotFound() {
    boot();
    // Unlike the object namespace, the registry's parse answers "name not found" for a missing
    // parent too: CmpParseKey does, and so RegOpenKey gives ERROR_FILE_NOT_FOUND, not PATH.
    assertThat(create(admin, SERVICES + "\\Missing\\Child", 0).status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\deadbeef")).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  private static UnicodeString as(int length, Integer backslashAt) {
    char[] buffer = new char[0x8000];
    Arrays.fill(buffer, 'A');
    if (backslashAt != null) {
      buffer[backslashAt] = '\\';
    }
    return UnicodeString.raw(length, 0xFFFF, buffer);
  }

  private NtStatus openRaw(UnicodeString name) {
    return registry.ntOpenKey(admin, AccessMask.KEY_READ,
        new ObjectAttributes(Handle.NULL, name, ObjectAttributes.OBJ_CASE_INSENSITIVE)).status();
  }

  @Test
  void T21_oddOrOversizedNameLengthsAreInvalidNames() {
    boot();
    for (int length : List.of(0xFFFF, 0xFFFE, 0xFFFD, 1)) {
      assertThat(openRaw(as(length, null))).as("Length 0x%X", length).isEqualTo(STATUS_OBJECT_NAME_INVALID);
    }
  }

  @Test
  void T22_aNameNotStartingWithABackslashIsPathSyntaxBad() {
    boot();
    assertThat(openRaw(as(0xFFFC, null))).isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(openRaw(as(0x1000, null))).isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(openRaw(as(0xFFFC, 0x7FFE))).as("backslash just past the end").isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(openRaw(as(0xFFFC, 0x7FFD))).as("backslash as the last character").isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  @Test
  void B14_theKeyNameIsValidatedByTheObjectManagerBeforeAnyRegistryLookup() {
    boot();
    // An odd length fails as a name before anything is looked up, even where the key exists.
    String text = "\\Registry\\Machine\\System";
    UnicodeString odd = UnicodeString.raw(text.length() * 2 - 1, text.length() * 2, text.toCharArray());
    assertThat(openRaw(odd)).isEqualTo(STATUS_OBJECT_NAME_INVALID);
    assertThat(openRaw(UnicodeString.raw(2, 2, null))).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(openRaw(UnicodeString.of("Registry\\Machine"))).isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(openRaw(UnicodeString.of("\\Registry\\\\Machine"))).isEqualTo(STATUS_OBJECT_NAME_INVALID);
  }

  @Test
  void aStandardUserReadsKeysButCannotWriteOrCreateThem() {
    boot();
    create(admin, SERVICES + "\\Echo", 0);
    OpenResult read = registry.ntOpenKey(user, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\Echo"));
    assertThat(read.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(registry.ntOpenKey(user, AccessMask.KEY_SET_VALUE, ObjectAttributes.of(SERVICES + "\\Echo")).status())
        .isEqualTo(STATUS_ACCESS_DENIED);
    assertThat(create(user, SERVICES + "\\Evil", 0).status()).isEqualTo(STATUS_ACCESS_DENIED);
    assertThat(registry.ntSetValueKey(user, read.handle(), UnicodeString.of("X"), RegType.REG_DWORD, new byte[4]))
        .isEqualTo(STATUS_ACCESS_DENIED);
  }

  @Test
  void valuesAreSetReadEnumeratedInCreationOrderAndDeleted() {
    boot();
    Handle key = create(admin, SERVICES + "\\Echo", 0).handle();
    registry.ntSetValueKey(admin, key, UnicodeString.of("Type"), RegType.REG_DWORD, RegValue.dword("", 1).data());
    registry.ntSetValueKey(admin, key, UnicodeString.of("ImagePath"), RegType.REG_EXPAND_SZ,
        RegValue.expandString("", "System32\\drivers\\Echo.jar").data());
    registry.ntSetValueKey(admin, key, UnicodeString.of("Start"), RegType.REG_DWORD, RegValue.dword("", 3).data());

    assertThat(registry.ntQueryValueKey(admin, key, UnicodeString.of("type")).value().dwordValue()).hasValue(1);
    assertThat(List.of(0, 1, 2).stream().map(i -> registry.ntEnumerateValueKey(admin, key, i).value().name()))
        .containsExactly("Type", "ImagePath", "Start");
    assertThat(registry.ntEnumerateValueKey(admin, key, 3).status()).isEqualTo(STATUS_NO_MORE_ENTRIES);
    assertThat(registry.ntDeleteValueKey(admin, key, UnicodeString.of("Start"))).isEqualTo(STATUS_SUCCESS);
    assertThat(registry.ntQueryValueKey(admin, key, UnicodeString.of("Start")).status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(registry.ntSetValueKey(admin, key, UnicodeString.raw(3, 4, "ab".toCharArray()), RegType.REG_SZ, new byte[0]))
        .isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void aHandleOpenedToReadCannotSetValues() {
    boot();
    create(admin, SERVICES + "\\Echo", 0);
    OpenResult read = registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\Echo"));
    assertThat(registry.ntSetValueKey(admin, read.handle(), UnicodeString.of("X"), RegType.REG_DWORD, new byte[4]))
        .isEqualTo(STATUS_ACCESS_DENIED);
  }

  @Test
  void aKeyWithSubkeysCannotBeDeletedAndADeletedKeyAnswersKeyDeletedThroughEveryHandle() {
    boot();
    Handle parent = create(admin, SERVICES + "\\Parent", 0).handle();
    Handle child = create(admin, SERVICES + "\\Parent\\Child", 0).handle();
    Handle otherChild = registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\Parent\\Child")).handle();

    assertThat(registry.ntDeleteKey(admin, parent)).isEqualTo(STATUS_CANNOT_DELETE);
    assertThat(registry.ntDeleteKey(admin, child)).isEqualTo(STATUS_SUCCESS);
    assertThat(registry.ntQueryKey(admin, otherChild).status()).isEqualTo(STATUS_KEY_DELETED);
    assertThat(registry.ntSetValueKey(admin, child, UnicodeString.of("X"), RegType.REG_DWORD, new byte[4]))
        .isEqualTo(STATUS_KEY_DELETED);
    assertThat(registry.ntDeleteKey(admin, parent)).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void aNonVolatileKeyUnderAVolatileOneIsRefused() {
    boot();
    assertThat(create(admin, SERVICES + "\\Fleeting", Registry.REG_OPTION_VOLATILE).status()).isEqualTo(STATUS_SUCCESS);
    assertThat(create(admin, SERVICES + "\\Fleeting\\Lasting", 0).status()).isEqualTo(STATUS_CHILD_MUST_BE_VOLATILE);
    assertThat(create(admin, SERVICES + "\\Fleeting\\AlsoFleeting", Registry.REG_OPTION_VOLATILE).status())
        .isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void persistentKeysSurviveARebootAndVolatileOnesDoNot() {
    boot();
    Handle lasting = create(admin, SERVICES + "\\Lasting", 0).handle();
    registry.ntSetValueKey(admin, lasting, UnicodeString.of("Start"), RegType.REG_DWORD, RegValue.dword("", 2).data());
    create(admin, SERVICES + "\\Fleeting", Registry.REG_OPTION_VOLATILE);
    registry.close();
    registry = null;

    boot();
    OpenResult again = registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\Lasting"));
    assertThat(again.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(registry.ntQueryValueKey(admin, again.handle(), UnicodeString.of("Start")).value().dwordValue()).hasValue(2);
    assertThat(registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\Fleeting")).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(registry.ntOpenKey(admin, AccessMask.KEY_READ,
        ObjectAttributes.of("\\Registry\\Machine\\System\\CurrentControlSet")).status()).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void openLinkOpensTheCurrentControlSetLinkItself() {
    boot();
    OpenResult link = registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(
        "\\Registry\\Machine\\System\\CurrentControlSet", ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_OPENLINK));
    assertThat(link.status()).isEqualTo(STATUS_SUCCESS);
    KeyInfo info = registry.ntQueryKey(admin, link.handle()).info();
    assertThat(info.isLink()).isTrue();
    assertThat(info.path()).isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet");
  }

  @Test
  void aRelativeOpenStartsAtTheRootKeyHandle() {
    boot();
    create(admin, SERVICES + "\\Echo", 0);
    OpenResult system = registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of("\\Registry\\Machine\\SYSTEM"));

    OpenResult echo = registry.ntOpenKey(admin, AccessMask.KEY_READ,
        ObjectAttributes.relative(system.handle(), "CurrentControlSet\\Services\\Echo"));

    assertThat(echo.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(registry.ntQueryKey(admin, echo.handle()).info().path())
        .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo");
  }

  @Test
  void keysCannotBePermanentOrExclusiveObjects() {
    boot();
    assertThat(registry.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS,
        ObjectAttributes.of(SERVICES + "\\X", ObjectAttributes.OBJ_PERMANENT), 0).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(registry.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(SERVICES + "\\X"), 0x100).status())
        .isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void closingEveryKeyHandleLeavesNoKeyObjectAlive() {
    boot();
    long before = registry.keyType().liveObjects();
    Handle a = create(admin, SERVICES + "\\Echo", 0).handle();
    Handle b = registry.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(SERVICES + "\\Echo")).handle();
    objects.close(a, admin);
    objects.close(b, admin);
    assertThat(registry.keyType().liveObjects()).isEqualTo(before);
  }
}
