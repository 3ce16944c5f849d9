package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.offline;
import static ntio.host.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ntio.host.cli.CliHarness.Result;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ntio} as a user runs it: every command through {@link Main#run}, each on a kernel booted
 * for that one command on a fresh state directory, checking the exit code and what is printed.
 */
class CliTest {

  private static final String CCS = "HKLM\\SYSTEM\\CurrentControlSet";
  private static final String ECHO = CCS + "\\Services\\Echo";

  @TempDir
  Path state;

  @Nested
  class Obj {

    @Test
    void lsOfTheRootListsTheNamespaceAsWinObjDoes() {
      Result r = embedded(state, "obj", "ls", "\\");

      assertThat(r.exitCode()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.outLines()).containsSubsequence(
          "Directory \\ (7 entries)",
          "Name Type Target",
          "Device Directory",
          "DosDevices SymbolicLink -> \\??",
          "Driver Directory",
          "FileSystem Directory",
          "GLOBAL?? Directory",
          "ObjectTypes Directory",
          "REGISTRY Key");
    }

    @Test
    void lsWithoutAPathListsTheRoot() {
      assertThat(embedded(state, "obj", "ls").out()).isEqualTo(embedded(state, "obj", "ls", "\\").out());
    }

    @Test
    void lsOfObjectTypesListsEveryType() {
      Result r = embedded(state, "obj", "ls", "\\ObjectTypes");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).containsSubsequence(
          "Directory \\ObjectTypes (8 entries)",
          "Device Type", "Directory Type", "Driver Type", "Event Type", "File Type", "Key Type",
          "SymbolicLink Type", "Type Type");
    }

    @Test
    void lsOfAMissingDirectoryExits1WithTheStatusOnStderr() {
      Result r = embedded(state, "obj", "ls", "\\Nope");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot open directory \\Nope: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void lsOfAnObjectThatIsNotADirectoryIsATypeMismatch() {
      Result r = embedded(state, "obj", "ls", "\\REGISTRY");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("STATUS_OBJECT_TYPE_MISMATCH (0xC0000024)");
    }

    @Test
    void infoOfATypeObjectShowsItsHeader() {
      Result r = embedded(state, "obj", "info", "\\ObjectTypes\\Device");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).contains(
          "Field Value", "name \\ObjectTypes\\Device", "type Type", "handleCount 0", "permanent true",
          "exclusive false");
      assertThat(r.outLines()).anyMatch(line -> line.matches("pointerCount [1-9][0-9]*"));
    }

    @Test
    void infoOfTheRootShowsAPermanentDirectory() {
      Result r = embedded(state, "obj", "info", "\\");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).contains("name \\", "type Directory", "permanent true");
    }

    @Test
    void infoOfASymbolicLinkShowsItsType() {
      Result r = embedded(state, "obj", "info", "\\DosDevices");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).contains("name \\DosDevices", "type SymbolicLink", "permanent true");
    }

    @Test
    void infoOfAMissingObjectExits1() {
      Result r = embedded(state, "obj", "info", "\\Device\\Nope");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot find \\Device\\Nope: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void infoOfADeviceAddsWhatDevobjShows() {
      try (CliHarness.RunningKernel kernel = new CliHarness.RunningKernel(state)) {
        kernel.admin("sc", "create", "Echo", "--image", CliHarness.sampleImage("Echo").toString());
        kernel.admin("sc", "start", "Echo");

        Result r = kernel.admin("obj", "info", "\\Device\\Echo");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).containsSubsequence(
            "Field Value", "name \\Device\\Echo", "type Device",
            "Device Value", "driver \\Driver\\Echo", "referenceCount 0", "attachedDevice (none)",
            "attachedTo (none)");
        assertThat(r.outLines()).anyMatch(line -> line.matches("stackSize [1-9]"))
            .anyMatch(line -> line.startsWith("flagNames "));
      }
    }

    @Test
    void infoOfARelativeNameIsABadPathSyntax() {
      Result r = embedded(state, "obj", "info", "Device");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("not an absolute object name: Device",
          "STATUS_OBJECT_PATH_SYNTAX_BAD (0xC000003B)");
    }
  }

  @Nested
  class RegQuery {

    @Test
    void currentControlSetListsControlAndServices() {
      Result r = embedded(state, "reg", "query", CCS);

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).containsExactly(
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet",
          "",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services");
    }

    @Test
    void theLongRootNameAndTheNativeNameReadTheSameKey() {
      String shortName = embedded(state, "reg", "query", CCS).out();

      assertThat(embedded(state, "reg", "query", "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet").out())
          .isEqualTo(shortName);
      assertThat(embedded(state, "reg", "query", "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet").out())
          .isEqualTo(shortName);
    }

    @Test
    void recurseShowsEveryKeyBelowWithItsValues() {
      assertThat(embedded(state, "reg", "add", ECHO + "\\Parameters", "--value", "Depth", "--type", "REG_DWORD",
          "--data", "2").exitCode()).isZero();

      Result r = embedded(state, "reg", "query", "HKLM\\SYSTEM", "--recurse");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).containsSubsequence(
          "HKEY_LOCAL_MACHINE\\SYSTEM",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\Memory Management",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo\\Parameters",
          "    Depth    REG_DWORD    0x2",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\Select",
          "    Current    REG_DWORD    0x1",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo\\Parameters",
          "    Depth    REG_DWORD    0x2");
    }

    @Test
    void valueShowsOnlyThatValue() {
      Result r = embedded(state, "reg", "query", "HKLM\\SYSTEM\\Select", "--value", "Current");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).containsExactly(
          "HKEY_LOCAL_MACHINE\\SYSTEM\\Select", "    Current    REG_DWORD    0x1", "");
    }

    @Test
    void aMissingValueExits1() {
      Result r = embedded(state, "reg", "query", "HKLM\\SYSTEM\\Select", "--value", "Nope");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void aMissingKeyExits1() {
      Result r = embedded(state, "reg", "query", ECHO);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot read " + ECHO + ": STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void aRootNtioDoesNotHaveExits1() {
      Result r = embedded(state, "reg", "query", "HKCU\\Software");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "ntio: unknown root key in HKCU\\Software: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }
  }

  @Nested
  class RegAdd {

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
        Sz    | REG_SZ        | hello world           | hello world
        Ex    | REG_EXPAND_SZ | %SystemRoot%\\x.jar   | %SystemRoot%\\x.jar
        Dw    | REG_DWORD     | 3                     | 0x3
        Dh    | REG_DWORD     | 0xFFFFFFFF            | 0xffffffff
        Qw    | REG_QWORD     | 0x100000000           | 0x100000000
        Qd    | REG_QWORD     | 4294967296            | 0x100000000
        Ms    | REG_MULTI_SZ  | a\\0b c\\0d           | a\\0b c\\0d
        Bin   | REG_BINARY    | 00ff10                | 00FF10
        No    | REG_NONE      | ''                    | ''
        NoHex | REG_NONE      | 0102                  | 0102
        """)
    void eachTypeIsStoredAndQueryShowsItAsRegExeDoes(String name, String type, String data, String shown) {
      Result added = embedded(state, "reg", "add", ECHO, "--value", name, "--type", type, "--data", data);
      assertThat(added.exitCode()).as(added.err()).isZero();
      assertThat(added.out()).isEqualTo("The operation completed successfully." + System.lineSeparator());

      Result r = embedded(state, "reg", "query", ECHO, "--value", name);

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).containsExactly(
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo",
          "    " + name + "    " + type + "    " + shown,
          "");
    }

    @Test
    void theTypeNameIsCaseInsensitive() {
      assertThat(embedded(state, "reg", "add", ECHO, "--value", "Start", "--type", "reg_dword", "--data", "3")
          .exitCode()).isZero();

      assertThat(embedded(state, "reg", "query", ECHO, "--value", "Start").out())
          .contains("    Start    REG_DWORD    0x3");
    }

    @Test
    void withoutTypeTheValueIsAString() {
      embedded(state, "reg", "add", ECHO, "--value", "DisplayName", "--data", "Echo driver");

      assertThat(embedded(state, "reg", "query", ECHO, "--value", "DisplayName").out())
          .contains("    DisplayName    REG_SZ    Echo driver");
    }

    @Test
    void theDefaultValueIsNamedDefault() {
      embedded(state, "reg", "add", ECHO, "--value", "(Default)", "--data", "dflt");

      Result r = embedded(state, "reg", "query", ECHO);

      assertThat(r.out()).contains("    (Default)    REG_SZ    dflt");
      assertThat(embedded(state, "reg", "query", ECHO, "--value", "(Default)").out())
          .contains("    (Default)    REG_SZ    dflt");
    }

    @Test
    void withoutValueOnlyTheKeyAndItsMissingParentsAreCreated() {
      Result added = embedded(state, "reg", "add", ECHO + "\\Parameters\\Deep");

      assertThat(added.exitCode()).isZero();
      assertThat(embedded(state, "reg", "query", ECHO).out().lines().toList()).containsExactly(
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo",
          "",
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo\\Parameters");
    }

    @Test
    void aVolatileKeyIsGoneAtTheNextBoot() {
      Result added = embedded(state, "reg", "add", ECHO, "--volatile", "--value", "A", "--data", "b");
      assertThat(added.exitCode()).isZero();

      // Each embedded command is its own boot, so the next command already finds it gone.
      Result r = embedded(state, "reg", "query", ECHO);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void valuesPersistAcrossSeparateRunsOnTheSameStateDirectory() {
      assertThat(embedded(state, "reg", "add", ECHO, "--value", "Start", "--type", "REG_DWORD", "--data", "3")
          .exitCode()).isZero();
      assertThat(embedded(state, "reg", "add", ECHO, "--value", "ImagePath", "--type", "REG_EXPAND_SZ",
          "--data", "System32\\drivers\\Echo.jar").exitCode()).isZero();

      Result r = embedded(state, "reg", "query", ECHO);

      assertThat(r.out().lines().toList()).containsExactly(
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo",
          "    Start    REG_DWORD    0x3",
          "    ImagePath    REG_EXPAND_SZ    System32\\drivers\\Echo.jar",
          "");
    }

    @Test
    void anUnknownTypeIsAUsageErrorAndCreatesNothing() {
      Result r = embedded(state, "reg", "add", ECHO, "--value", "X", "--type", "REG_FOO", "--data", "1");

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.errLines()).containsExactly("ntio: unknown value type REG_FOO");
      assertThat(embedded(state, "reg", "query", ECHO).exitCode()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        REG_DWORD    | abc        | not a number: abc
        REG_DWORD    | 4294967296 | 4294967296 does not fit in 32 bits
        REG_DWORD    | -1         | -1 does not fit in 32 bits
        REG_QWORD    | 0xZZ       | not a number: 0xZZ
        REG_BINARY   | xyz        | string length not even
        REG_BINARY   | zz         | not a hexadecimal digit
        REG_MULTI_SZ | a\\0       | REG_MULTI_SZ element 1 is empty
        """)
    void badDataIsAUsageErrorAndCreatesNothing(String type, String data, String why) {
      Result r = embedded(state, "reg", "add", ECHO, "--value", "X", "--type", type, "--data", data);

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.errLines()).singleElement().asString()
          .startsWith("ntio: bad data for " + type + ": ").contains(why);
      assertThat(embedded(state, "reg", "query", ECHO).exitCode()).isEqualTo(1);
    }

    @Test
    void aValueOnARootKeyIsRefused() {
      Result r = embedded(state, "reg", "add", "HKLM", "--value", "X", "--data", "y");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly("ntio: cannot create HKLM: STATUS_ACCESS_DENIED (0xC0000022)");
    }
  }

  @Nested
  class RegDelete {

    @Test
    void valueDeletesOnlyThatValue() {
      embedded(state, "reg", "add", ECHO, "--value", "Start", "--type", "REG_DWORD", "--data", "3");
      embedded(state, "reg", "add", ECHO, "--value", "Type", "--type", "REG_DWORD", "--data", "1");

      Result r = embedded(state, "reg", "delete", ECHO, "--value", "Start");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo("The operation completed successfully." + System.lineSeparator());
      Result gone = embedded(state, "reg", "query", ECHO, "--value", "Start");
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.err()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
      assertThat(embedded(state, "reg", "query", ECHO).out()).contains("    Type    REG_DWORD    0x1");
    }

    @Test
    void deletingAMissingValueExits1() {
      embedded(state, "reg", "add", ECHO);

      Result r = embedded(state, "reg", "delete", ECHO, "--value", "Nope");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot delete Nope in " + ECHO + ": STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void aKeyIsDeletedWithEverySubkeyBelowIt() {
      embedded(state, "reg", "add", ECHO + "\\Parameters\\Deep", "--value", "V", "--data", "x");
      embedded(state, "reg", "add", ECHO + "\\Enum", "--value", "Count", "--type", "REG_DWORD", "--data", "0");
      embedded(state, "reg", "add", ECHO, "--value", "Start", "--type", "REG_DWORD", "--data", "3");

      Result r = embedded(state, "reg", "delete", ECHO);

      assertThat(r.exitCode()).isZero();
      Result gone = embedded(state, "reg", "query", ECHO);
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.err()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
      assertThat(embedded(state, "reg", "query", CCS + "\\Services").out().lines().toList())
          .containsExactly("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services", "");
    }

    @Test
    void deletingAMissingKeyExits1() {
      Result r = embedded(state, "reg", "delete", ECHO);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "ntio: cannot delete " + ECHO + ": STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
    }

    @Test
    void aRootKeyCannotBeDeleted() {
      Result r = embedded(state, "reg", "delete", "HKLM");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("STATUS_CANNOT_DELETE (0xC0000121)");
      assertThat(embedded(state, "reg", "query", "HKLM").out()).contains("HKEY_LOCAL_MACHINE\\SYSTEM");
    }
  }

  @Nested
  class RegExportImport {

    @TempDir
    Path files;

    @TempDir
    Path otherState;

    private void addEveryType() {
      String[][] values = {
          {"DisplayName", "REG_SZ", "Echo \"quoted\" driver"},
          {"ImagePath", "REG_EXPAND_SZ", "System32\\drivers\\Echo.jar"},
          {"Start", "REG_DWORD", "3"},
          {"Big", "REG_QWORD", "0x100000000"},
          {"Group", "REG_MULTI_SZ", "Base\\0Extended"},
          {"Blob", "REG_BINARY", "00ff10"},
          {"Nothing", "REG_NONE", ""},
      };
      for (String[] v : values) {
        Result r = embedded(state, "reg", "add", ECHO, "--value", v[0], "--type", v[1], "--data", v[2]);
        assertThat(r.exitCode()).as(r.err()).isZero();
      }
      assertThat(embedded(state, "reg", "add", ECHO + "\\Parameters", "--value", "Depth", "--type", "REG_DWORD",
          "--data", "2").exitCode()).isZero();
    }

    @Test
    void exportThenImportIntoANewStateThenExportIsByteIdentical() throws IOException {
      addEveryType();
      Path first = files.resolve("first.reg");
      Path second = files.resolve("second.reg");

      Result exported = embedded(state, "reg", "export", CCS + "\\Services", first.toString());
      Result imported = embedded(otherState, "reg", "import", first.toString());
      Result again = embedded(otherState, "reg", "export", CCS + "\\Services", second.toString());

      assertThat(List.of(exported.exitCode(), imported.exitCode(), again.exitCode())).containsOnly(0);
      assertThat(imported.out()).isEqualTo("The operation completed successfully." + System.lineSeparator());
      assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
      assertThat(embedded(otherState, "reg", "query", ECHO).out())
          .isEqualTo(embedded(state, "reg", "query", ECHO).out());
    }

    @Test
    void theExportIsUtf16WithABomAndCrlfAsRegeditWritesIt() throws IOException {
      addEveryType();
      Path file = files.resolve("echo.reg");

      assertThat(embedded(state, "reg", "export", ECHO, file.toString()).exitCode()).isZero();

      byte[] bytes = Files.readAllBytes(file);
      assertThat(bytes).startsWith(0xFF, 0xFE);
      String text = new String(bytes, StandardCharsets.UTF_16LE).substring(1);
      assertThat(text.split("\r\n", -1)).containsSubsequence(
          "Windows Registry Editor Version 5.00",
          "",
          "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo]",
          "\"DisplayName\"=\"Echo \\\"quoted\\\" driver\"",
          "\"Start\"=dword:00000003",
          "\"Big\"=hex(b):00,00,00,00,01,00,00,00",
          "\"Blob\"=hex:00,ff,10",
          "\"Nothing\"=hex(0):",
          "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo\\Parameters]",
          "\"Depth\"=dword:00000002");
    }

    @Test
    void aMalformedImportExits1NamesTheLineAndChangesNothing() throws IOException {
      embedded(state, "reg", "add", ECHO, "--value", "Start", "--type", "REG_DWORD", "--data", "3");
      Result before = embedded(state, "reg", "query", CCS + "\\Services", "--recurse");
      Path bad = files.resolve("bad.reg");
      Files.writeString(bad, String.join("\r\n",
          "Windows Registry Editor Version 5.00",
          "",
          "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo]",
          "\"Start\"=dword:00000004",
          "",
          "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Other]",
          "\"Type\"=dword:zz",
          ""), StandardCharsets.UTF_8);

      Result r = embedded(state, "reg", "import", bad.toString());

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.errLines()).singleElement().asString()
          .startsWith("ntio: " + bad + ":7: ")
          .contains("'zz'", "nothing was imported")
          .endsWith("STATUS_INVALID_PARAMETER (0xC000000D)");
      assertThat(embedded(state, "reg", "query", CCS + "\\Services", "--recurse").out()).isEqualTo(before.out());
      assertThat(before.out()).contains("    Start    REG_DWORD    0x3");
    }

    @Test
    void importingAMissingFileExits1() {
      Result r = embedded(state, "reg", "import", files.resolve("missing.reg").toString());

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).startsWith("ntio: cannot read ");
    }

    @Test
    void exportingAMissingKeyExits1AndWritesNoFile() {
      Path file = files.resolve("x.reg");

      Result r = embedded(state, "reg", "export", ECHO, file.toString());

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("cannot export " + ECHO, "STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
      assertThat(file).doesNotExist();
    }
  }

  @Nested
  class Whoami {

    @Test
    void showsTheUserGroupsAndPrivilegesOfAnAdministratorToken() {
      int uid = Session.currentUid();

      Result r = embedded(state, "whoami");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).containsSubsequence(
          "USER INFORMATION",
          "User Name SID",
          "Unix User\\" + uid + " S-1-22-1-" + uid,
          "GROUP INFORMATION",
          "Group Name SID Attributes",
          "PRIVILEGES INFORMATION",
          "Privilege Name Description State");
      assertThat(r.outLines()).contains(
          "Everyone S-1-1-0 Enabled group",
          "BUILTIN\\Administrators S-1-5-32-544 Enabled group",
          "SeLoadDriverPrivilege Load and unload device drivers Disabled",
          "SeChangeNotifyPrivilege Bypass traverse checking Enabled");
    }

    @Test
    void privShowsOnlyThePrivilegesWithTheirState() {
      Result r = embedded(state, "whoami", "--priv");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines().get(0)).isEqualTo("PRIVILEGES INFORMATION");
      assertThat(r.out()).doesNotContain("USER INFORMATION", "GROUP INFORMATION");
      assertThat(r.outLines()).contains(
          "SeLoadDriverPrivilege Load and unload device drivers Disabled",
          "SeChangeNotifyPrivilege Bypass traverse checking Enabled");
    }
  }

  @Nested
  class Poolmon {

    @Test
    void printsTheTagAndOwnerTables() {
      Result r = embedded(state, "poolmon");

      assertThat(r.exitCode()).isZero();
      assertThat(r.err()).isEmpty();
      // A kernel booted for one command has allocated nothing yet: both tables are headers only.
      assertThat(r.outLines()).containsExactly(
          "Tag Type Allocs Frees Diff Bytes", "", "Owner Type Allocs Frees Diff Bytes");
    }
  }

  @Nested
  class Crash {

    @Test
    void lsOnAnEmptyStateDirectorySaysSo() {
      Result r = offline(state, "crash", "ls");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("No crash reports in " + state);
    }

    @Test
    void lsListsARealBugCheckWithoutAKernel() {
      long address = CliHarness.useAfterFree(state);
      String id = CliHarness.crashIds(state).get(0);

      Result r = offline(state, "crash", "ls");

      assertThat(r.exitCode()).isZero();
      assertThat(r.outLines()).hasSize(2);
      assertThat(r.outLines().get(0)).isEqualTo("Id Time Bug check Driver");
      assertThat(r.outLines().get(1)).startsWith(id + " ").endsWith(
          " 0x00000050 (PAGE_FAULT_IN_NONPAGED_AREA) (0x"
              + Long.toHexString(address).toUpperCase(Locale.ROOT) + ", 0x0, 0x0, 0x0) ntoskrnl");
    }

    @Test
    void showPrintsTheReportAsWritten() throws IOException {
      CliHarness.useAfterFree(state);
      String id = CliHarness.crashIds(state).get(0);

      Result r = offline(state, "crash", "show", id);

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo(Files.readString(state.resolve("crash").resolve(id + ".txt")));
      assertThat(r.out()).startsWith("*** STOP: 0x00000050").contains("PAGE_FAULT_IN_NONPAGED_AREA",
          "tag 'Leak'");
    }

    @Test
    void showOfAnUnknownIdExits1() {
      Result r = offline(state, "crash", "show", "20990101-000000-000-000001");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "ntio: no crash report 20990101-000000-000-000001 in " + state);
    }

    @Test
    void showOfAPathIsNoReport() {
      CliHarness.useAfterFree(state);

      Result r = offline(state, "crash", "show", "../crash/" + CliHarness.crashIds(state).get(0));

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).startsWith("ntio: no crash report ");
    }

    @Test
    void showReachesAnAutoFlushingStreamBeforeRunReturns() throws IOException {
      CliHarness.useAfterFree(state);
      String id = CliHarness.crashIds(state).get(0);
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      // As Main.main builds it: autoflush only flushes on println, and main exits right after run.
      PrintWriter out = new PrintWriter(stdout, true, StandardCharsets.UTF_8);

      int exitCode = Main.run(new String[] {"--state", state.toString(), "crash", "show", id}, out,
          new PrintWriter(new StringWriter()));

      assertThat(exitCode).isZero();
      assertThat(stdout.toString(StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(state.resolve("crash").resolve(id + ".txt")));
    }

    @Test
    void showOfAMalformedReportSaysWhatIsWrongInOneLine() throws IOException {
      CliHarness.useAfterFree(state);
      String id = CliHarness.crashIds(state).get(0);
      Files.writeString(state.resolve("crash").resolve(id + ".json"), "{\"code\":\"0x50\"");

      Result r = offline(state, "crash", "show", id);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).singleElement().asString()
          .startsWith("ntio: ").contains("malformed crash report", id + ".json");
    }
  }

  @Nested
  class WithoutAKernel {

    @TempDir
    Path files;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "obj ls", "obj info \\", "reg query HKLM", "reg add HKLM\\SYSTEM\\X", "reg delete HKLM\\SYSTEM\\X",
        "reg export HKLM\\SYSTEM FILE", "reg import FILE", "whoami", "poolmon", "sc query", "sc start Echo",
        "sc stop Echo", "sc delete Echo", "driverquery", "verifier --query", "verifier --reset"})
    void everyKernelCommandExits3WithOneLineNamingEmbedded(String command) throws IOException {
      Path file = Files.writeString(files.resolve("in.reg"), "Windows Registry Editor Version 5.00\r\n");
      String[] args = command.replace("FILE", file.toString()).split(" ");

      Result r = offline(state, args);

      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.out()).isEmpty();
      assertThat(r.errLines()).singleElement().asString()
          .isEqualTo("ntio: no daemon socket at " + state.resolve("ntio.sock")
              + "; start one with 'ntio host', or run the command with --embedded to boot a kernel in this process");
    }

    @Test
    void aSocketFileNobodyAnswersOnIsStillUnreachable() throws IOException {
      Path socket = Files.createFile(files.resolve("ntio.sock"));

      Result r = run("--state", state.toString(), "--socket", socket.toString(), "whoami");

      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.errLines()).singleElement().asString()
          .startsWith("ntio: nothing answers at " + socket).contains("--embedded");
    }

    @Test
    void aStateDirectoryInUseByAnotherKernelIsOneLineAndExit3() {
      try (Kernel holder = Kernel.boot(KernelConfig.of(state))) {
        assertThat(holder.isRunning()).isTrue();

        Result r = embedded(state, "obj", "ls");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().startsWith("ntio: ").contains(state.toString());
      }
    }
  }

  @Nested
  class Options {

    @Test
    void helpListsEveryCommandAndExits0() {
      Result r = run("--help");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).startsWith("Usage: ntio ").contains("--embedded", "--state=DIR", "--socket=PATH");
      assertThat(r.outLines()).anyMatch(l -> l.startsWith("demo "))
          .anyMatch(l -> l.startsWith("obj "))
          .anyMatch(l -> l.startsWith("reg "))
          .anyMatch(l -> l.startsWith("whoami "))
          .anyMatch(l -> l.startsWith("poolmon "))
          .anyMatch(l -> l.startsWith("crash "))
          .anyMatch(l -> l.startsWith("sc "))
          .anyMatch(l -> l.startsWith("driverquery "))
          .anyMatch(l -> l.startsWith("verifier "));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"obj", "obj ls", "obj info", "reg", "reg query", "reg add", "reg delete",
        "reg export", "reg import", "whoami", "poolmon", "crash", "crash ls", "crash show", "demo",
        "sc", "sc create", "sc start", "sc stop", "sc query", "sc delete", "driverquery", "verifier"})
    void everyCommandHasHelp(String command) {
      String[] words = command.split(" ");
      String[] args = Stream.concat(Arrays.stream(words), Stream.of("--help")).toArray(String[]::new);

      Result r = run(args);

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).startsWith("Usage: ntio " + command);
    }

    @Test
    void versionNamesNtioAndJavaAndExits0() {
      Result r = run("--version");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out().lines().toList()).hasSize(2);
      assertThat(r.out()).startsWith("ntio ").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void versionOnASubcommandPrintsTheVersion() {
      Result r = run("reg", "query", "--version");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo(run("--version").out());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
      Result r = run("frob");

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).contains("Unmatched argument at index 0: 'frob'");
    }

    @Test
    void noCommandIsAUsageError() {
      Result r = run();

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).startsWith("Missing required subcommand").contains("Usage: ntio ");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
      Result r = embedded(state, "obj", "ls", "--bogus");

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void aMissingParameterIsAUsageError() {
      Result r = embedded(state, "reg", "query");

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("Missing required parameter: 'KEY'");
    }
  }

  @Nested
  class Demo {

    private static final Pattern STATE_LINE = Pattern.compile("ntio demo: a fresh kernel on (\\S+)");

    @Test
    void runsItsEightStepsAndRemovesItsStateDirectory() {
      Result r = run("--state", state.toString(), "demo");

      assertThat(r.exitCode()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out().lines().toList()).containsSubsequence(
          "1. The object namespace, as WinObj shows it",
          "   DosDevices     SymbolicLink  -> \\??",
          "2. A service key, written through CurrentControlSet",
          "   The key reports its resolved name (B9): \\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo",
          "3. Security: who may do what",
          "   A standard user opening the service key to write: STATUS_ACCESS_DENIED (0xC0000022)",
          "   An administrator enabling SeLoadDriverPrivilege (present, disabled): STATUS_SUCCESS (0x00000000)",
          "   A standard user enabling SeLoadDriverPrivilege (absent): STATUS_NOT_ALL_ASSIGNED (0x00000106)",
          "4. Names live as long as NT says (B44)",
          "   Opening \\Demo after its last handle closed: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)",
          "5. A driver image: load, open, I/O that pends and is cancelled, and an unload that waits for the last close",
          "   NtLoadDriver(Echo) by a standard user, who lacks SeLoadDriverPrivilege: STATUS_PRIVILEGE_NOT_HELD (0xC0000061)",
          "   NtLoadDriver(Echo) with SeLoadDriverPrivilege enabled: STATUS_SUCCESS (0x00000000)",
          "   NtLoadDriver(Echo) again: STATUS_IMAGE_ALREADY_LOADED (0xC000010E)",
          "   NtReadFile: STATUS_SUCCESS (0x00000000), \"hello, ntio\"",
          "   NtReadFile of the empty FIFO, overlapped: the IRP pends: STATUS_PENDING (0x00000103)",
          "   Another process writes; the pending read completes: STATUS_SUCCESS (0x00000000), \"from another process\"",
          "   A second pending read, after NtCancelIoFile: STATUS_CANCELLED (0xC0000120)",
          "   NtUnloadDriver(Echo) while the handle is open (deferred): STATUS_SUCCESS (0x00000000)",
          "   \\Driver\\Echo still there: true",
          "   A new open of \\??\\Echo while the unload waits: STATUS_NO_SUCH_DEVICE (0xC000000E)",
          "   \\Driver\\Echo still there: false (DriverUnload ran)",
          "   NtLoadDriver(Echo) once more: STATUS_SUCCESS (0x00000000)",
          "6. A DriverEntry that fails after allocating: Leaky, then Tidy on the framework",
          "   NtLoadDriver(Leaky): DriverEntry's own status comes back (B10): STATUS_INSUFFICIENT_RESOURCES (0xC000009A)",
          "   NtLoadDriver(Tidy): the same failure written on the framework, under Driver Verifier: STATUS_INSUFFICIENT_RESOURCES (0xC000009A)",
          "7. Pool with tags, and a use after free",
          "   tag Demo: 1 outstanding, 64 bytes",
          "   Any system service once the kernel has halted: STATUS_SYSTEM_SHUTDOWN (0xC00002EB)",
          "8. The registry survives a reboot",
          "   NtOpenKey(Services\\Echo) after reboot: STATUS_SUCCESS (0x00000000)",
          "   ImagePath = System32\\drivers\\Echo.jar");
      assertThat(r.out()).containsPattern("   poolmon: tag Leak, 1 block\\(s\\), 64 bytes still allocated");
      assertThat(r.out()).containsPattern("   verifier /query: Tidy.jar (\\d+) allocations, \\1 frees, 0 outstanding, 0 findings");
      assertThat(r.out()).containsPattern("   bug check 0x00000050 \\(PAGE_FAULT_IN_NONPAGED_AREA\\) \\(0xFFFFA0000000[0-9A-F]{4}, 0x0, 0x0, 0x0\\)");
      assertThat(r.out()).doesNotContain("not detected");
      Matcher where = STATE_LINE.matcher(r.out());
      assertThat(where.find()).isTrue();
      assertThat(Path.of(where.group(1))).doesNotExist();
    }

    @Test
    void leavesTheStateDirectoryItWasGivenAlone() throws IOException {
      run("--state", state.toString(), "demo");

      try (Stream<Path> entries = Files.list(state)) {
        assertThat(entries).isEmpty();
      }
    }

    @Test
    void keepLeavesItsStateDirectoryWithTheCrashReport() throws IOException {
      Result r = run("demo", "--keep");

      assertThat(r.exitCode()).isZero();
      Matcher where = STATE_LINE.matcher(r.out());
      assertThat(where.find()).isTrue();
      Path kept = Path.of(where.group(1));
      try {
        assertThat(r.out().lines().toList()).last().isEqualTo("State directory kept: " + kept);
        assertThat(CliHarness.crashIds(kept)).hasSize(1);
        assertThat(offline(kept, "crash", "ls").out()).contains("PAGE_FAULT_IN_NONPAGED_AREA");
      } finally {
        try (Stream<Path> paths = Files.walk(kept)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }
}
