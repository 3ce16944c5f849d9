package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_CHILD_MUST_BE_VOLATILE;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_KEY_DELETED;
import static ntio.ddk.NtStatus.STATUS_NO_MORE_ENTRIES;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ntio.api.KeyInfo;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.api.ValueResult;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegFileTest {

  private static final String HEADER = "Windows Registry Editor Version 5.00\r\n";

  private final Hive hive = Hive.openInMemory();

  @AfterEach
  void closeHive() {
    hive.close();
  }

  private long path(Hive in, String... components) {
    CreateKeyResult key = in.createPath(in.rootId(), List.of(components), 0);
    assertThat(key.status()).isEqualTo(STATUS_SUCCESS);
    return key.keyId();
  }

  private static KeyResult find(Hive in, String... components) {
    return in.resolvePath(in.rootId(), List.of(components), true);
  }

  private static String lines(String... lines) {
    return String.join("\r\n", lines) + "\r\n";
  }

  // ---- export

  @Test
  void exportWritesRegeditsLayout() {
    long demo = path(hive, "MACHINE", "SOFTWARE", "Demo");
    hive.setValue(demo, RegValue.string("", "default"));
    hive.setValue(demo, RegValue.string("Path", "C:\\Program Files\\\"x\""));
    hive.setValue(demo, RegValue.dword("Count", 10));
    hive.setValue(demo, RegValue.binary("Raw", new byte[] {1, 2, (byte) 0xFF}));
    hive.setValue(demo, RegValue.expandString("Expand", "%A%"));
    hive.setValue(demo, RegValue.multiString("Multi", List.of("a", "b")));
    hive.setValue(demo, RegValue.qword("Q", 1));
    hive.setValue(demo, RegValue.none("None"));
    path(hive, "MACHINE", "SOFTWARE", "Demo", "sub");
    path(hive, "MACHINE", "SOFTWARE", "Demo", "A");

    RegExportResult result = RegFile.export(hive, demo);

    assertThat(result.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(result.text())
        .isEqualTo(
            lines(
                "Windows Registry Editor Version 5.00",
                "",
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Demo]",
                "@=\"default\"",
                "\"Path\"=\"C:\\\\Program Files\\\\\\\"x\\\"\"",
                "\"Count\"=dword:0000000a",
                "\"Raw\"=hex:01,02,ff",
                "\"Expand\"=hex(2):25,00,41,00,25,00,00,00",
                "\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00",
                "\"Q\"=hex(b):01,00,00,00,00,00,00,00",
                "\"None\"=hex(0):",
                "",
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Demo\\A]",
                "",
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Demo\\sub]",
                ""));
  }

  @Test
  void longHexDataWrapsAtRegeditsColumnWithTwoBlankIndent() {
    long key = path(hive, "MACHINE", "SOFTWARE", "Wrap");
    byte[] data = new byte[100];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    hive.setValue(key, RegValue.binary("Data", data));
    hive.setValue(
        key, RegValue.expandString("ImagePath", "\\SystemRoot\\System32\\drivers\\x.sys"));

    List<String> lines = RegFileParser.splitLines(RegFile.export(hive, key).text());

    assertThat(lines.get(3)).startsWith("\"Data\"=hex:00,01,").endsWith("14,15,\\").hasSize(78);
    assertThat(lines.get(4)).startsWith("  16,17,").endsWith("2d,2e,\\").hasSize(78);
    assertThat(lines.get(5)).startsWith("  2f,").endsWith(",47,\\");
    assertThat(lines.get(6)).startsWith("  48,").endsWith(",60,\\");
    assertThat(lines.get(7)).isEqualTo("  61,62,63");
    assertThat(lines.get(8))
        .as("regedit's 80-column first line for a hex(2) ImagePath")
        .isEqualTo(
            "\"ImagePath\"=hex(2):5c,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,\\");
    assertThat(lines.get(9))
        .isEqualTo(
            "  74,00,5c,00,53,00,79,00,73,00,74,00,65,00,6d,00,33,00,32,00,5c,00,64,00,72,\\");
    assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
  }

  @Test
  void aStringThatIsNotACleanTerminatedUtf16StringIsWrittenAsHex1() {
    long key = path(hive, "MACHINE", "SOFTWARE", "Strings");
    hive.setValue(key, "Odd", RegType.REG_SZ, new byte[] {0x41, 0, 0x42});
    hive.setValue(key, "NoNul", RegType.REG_SZ, new byte[] {0x41, 0});
    hive.setValue(key, "Embedded", RegType.REG_SZ, new byte[] {0x41, 0, 0, 0, 0x42, 0, 0, 0});
    hive.setValue(key, "Empty", RegType.REG_SZ, new byte[0]);
    hive.setValue(key, "Lone", RegType.REG_SZ, new byte[] {0, (byte) 0xD8, 0, 0});
    hive.setValue(key, RegValue.string("Clean", "line1\r\nline2"));
    hive.setValue(key, "ShortDword", RegType.REG_DWORD, new byte[] {1, 2});

    assertThat(RegFile.export(hive, key).text())
        .contains(
            lines(
                "\"Odd\"=hex(1):41,00,42",
                "\"NoNul\"=hex(1):41,00",
                "\"Embedded\"=hex(1):41,00,00,00,42,00,00,00",
                "\"Empty\"=hex(1):",
                "\"Lone\"=hex(1):00,d8,00,00",
                "\"Clean\"=\"line1\\r\\nline2\"",
                "\"ShortDword\"=hex(4):01,02"));
  }

  @Test
  void exportLeavesOutLinkKeysAndKeysOfTheOtherStorageClass() {
    HiveLayout.ensure(hive);
    long system = find(hive, "MACHINE", "SYSTEM").keyId();
    path(hive, "MACHINE", "SYSTEM", "ControlSet001", "Services", "Echo");
    hive.createKey(system, "Scratch", Hive.REG_OPTION_VOLATILE);

    String text = RegFile.export(hive, system).text();

    assertThat(text)
        .contains("[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Echo]")
        .doesNotContain("CurrentControlSet")
        .doesNotContain("Scratch");
    String hardware = RegFile.export(hive, find(hive, "MACHINE", "HARDWARE").keyId()).text();
    assertThat(hardware)
        .as("a volatile subtree is written whole")
        .contains("[HKEY_LOCAL_MACHINE\\HARDWARE\\DESCRIPTION\\System]");
  }

  @Test
  void exportRefusesKeysOutsideTheTwoRootsAndNamesATextFileCannotHold() {
    long outside = path(hive, "Elsewhere");
    long key = path(hive, "USER", ".DEFAULT");
    hive.setValue(key, RegValue.dword("bad\0name", 1));

    RegExportResult outsideResult = RegFile.export(hive, outside);
    RegExportResult nulResult = RegFile.export(hive, key);

    assertThat(outsideResult.status()).isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(outsideResult.message()).contains("\\REGISTRY\\Elsewhere");
    assertThat(nulResult.status()).isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(nulResult.message()).contains("bad\\0name").contains("U+0000");
    assertThat(RegFile.export(hive, hive.rootId()).status()).isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void exportOfADeletedKeyIsKeyDeleted() {
    long key = path(hive, "MACHINE", "Gone");
    hive.deleteKey(key);

    assertThat(RegFile.export(hive, key).status()).isEqualTo(STATUS_KEY_DELETED);
  }

  // ---- round trip

  private void fillRoundTripTree(Hive in) {
    long top = path(in, "MACHINE", "SOFTWARE", "RoundTrip");
    in.setValue(top, RegValue.string("", "default"));
    in.setValue(top, RegValue.string("Plain", "hello"));
    in.setValue(top, RegValue.string("Quotes\"and\\slashes", "C:\\x \"q\""));
    in.setValue(top, RegValue.string("Lines", "a\r\nb\nc\rd"));
    in.setValue(top, RegValue.string("Empty", ""));
    in.setValue(
        top, RegValue.string("Unicode \u00f1", "\u00fcn\u00efc\u00f8d\u00e9 \u2603 \ud834\udd1e"));
    in.setValue(top, "NoTerm", RegType.REG_SZ, "abc".getBytes(StandardCharsets.UTF_16LE));
    in.setValue(top, "Odd", RegType.REG_SZ, new byte[] {1, 2, 3});
    in.setValue(top, "ZeroLength", RegType.REG_SZ, new byte[0]);
    in.setValue(top, "Lone", RegType.REG_SZ, new byte[] {0, (byte) 0xD8, 0, 0});
    in.setValue(top, RegValue.dword("Dword", 0xDEADBEEF));
    in.setValue(top, "ShortDword", RegType.REG_DWORD, new byte[] {1, 2});
    in.setValue(top, RegValue.qword("Qword", -2));
    in.setValue(top, RegValue.multiString("Multi", List.of("one", "two", "three")));
    in.setValue(top, RegValue.expandString("Expand", "%SystemRoot%\\System32\\drivers\\x.sys"));
    byte[] big = new byte[300];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7);
    }
    in.setValue(top, RegValue.binary("Binary", big));
    in.setValue(top, RegValue.none("None"));
    in.setValue(top, "NoneWithData", RegType.REG_NONE, new byte[] {9});
    in.setValue(top, RegValue.link("LinkData", "\\REGISTRY\\MACHINE"));
    in.setValue(top, "Custom", 0x12345678, new byte[] {1, 2, 3, 4, 5});
    in.setValue(top, "Negative", 0xFFFF0001, new byte[] {6});
    in.setValue(top, "BigEndian", RegType.REG_DWORD_BIG_ENDIAN, new byte[] {0, 0, 0, 1});
    in.setValue(top, RegValue.string("=;[]@", "; not a comment"));
    long alpha = path(in, "MACHINE", "SOFTWARE", "RoundTrip", "alpha", "deep", "deeper");
    in.setValue(alpha, RegValue.dword("x", 1));
    path(in, "MACHINE", "SOFTWARE", "RoundTrip", "Zeta");
    path(in, "MACHINE", "SOFTWARE", "RoundTrip", "Beta\u00e9");
    long odd = path(in, "MACHINE", "SOFTWARE", "RoundTrip", " spaced ]name[ ");
    in.setValue(odd, RegValue.string("k", "v"));
  }

  @Test
  void exportImportExportGivesTheSameTextAndTheSameBytes() {
    fillRoundTripTree(hive);
    long top = find(hive, "MACHINE", "SOFTWARE", "RoundTrip").keyId();
    String first = RegFile.export(hive, top).text();

    try (Hive fresh = Hive.openInMemory()) {
      RegImportResult imported = RegFile.importText(fresh, first);
      assertThat(imported).isEqualTo(new RegImportResult(STATUS_SUCCESS, 0, ""));
      long copy = find(fresh, "MACHINE", "SOFTWARE", "RoundTrip").keyId();

      assertThat(RegFile.export(fresh, copy).text()).isEqualTo(first);
      assertSameTree(hive, top, fresh, copy);
    }
  }

  @Test
  void theRoundTripAlsoHoldsThroughTheEncodedBytesAndForHkeyUsers() {
    long user = path(hive, "USER", ".DEFAULT", "Software");
    hive.setValue(user, RegValue.string("Greeting", "hi \u2603"));
    long dflt = find(hive, "USER", ".DEFAULT").keyId();
    String first = RegFile.export(hive, dflt).text();
    byte[] bytes = RegFile.encode(first);

    assertThat(bytes[0]).isEqualTo((byte) 0xFF);
    assertThat(bytes[1]).isEqualTo((byte) 0xFE);
    assertThat(first).startsWith(HEADER + "\r\n[HKEY_USERS\\.DEFAULT]\r\n");
    try (Hive fresh = Hive.openInMemory()) {
      assertThat(RegFile.importBytes(fresh, bytes).status()).isEqualTo(STATUS_SUCCESS);
      long copy = find(fresh, "USER", ".DEFAULT").keyId();
      assertThat(RegFile.export(fresh, copy).text()).isEqualTo(first);
      assertSameTree(hive, dflt, fresh, copy);
    }
  }

  private static void assertSameTree(Hive a, long keyA, Hive b, long keyB) {
    KeyInfo infoA = a.info(keyA).info();
    KeyInfo infoB = b.info(keyB).info();
    assertThat(infoB.name()).isEqualTo(infoA.name());
    assertThat(values(b, keyB)).as(infoA.path()).containsExactlyElementsOf(values(a, keyA));
    assertThat(infoB.subkeyCount()).as(infoA.path()).isEqualTo(infoA.subkeyCount());
    for (int i = 0; i < infoA.subkeyCount(); i++) {
      assertSameTree(a, a.enumerateKey(keyA, i).keyId(), b, b.enumerateKey(keyB, i).keyId());
    }
  }

  private static List<RegValue> values(Hive hive, long key) {
    List<RegValue> values = new ArrayList<>();
    for (int i = 0; ; i++) {
      ValueResult value = hive.enumerateValue(key, i);
      if (value.status().equals(STATUS_NO_MORE_ENTRIES)) {
        return values;
      }
      values.add(value.value());
    }
  }

  // ---- import

  @Test
  void importAcceptsWhatRegeditAcceptsAroundTheData() {
    String text =
        lines(
            "Windows Registry Editor Version 5.00",
            "; a comment",
            "",
            "  [hklm\\SOFTWARE\\Loose]  ",
            "\t\"A\" = \"x\"   ; trailing comment",
            "  @=dword:FF",
            "\"B\"=HEX:01, 02 ,\\",
            "   03 ; done");

    RegImportResult result = RegFile.importText(hive, text);

    assertThat(result.status()).as(result.message()).isEqualTo(STATUS_SUCCESS);
    long key = find(hive, "MACHINE", "SOFTWARE", "Loose").keyId();
    assertThat(hive.queryValue(key, "A").value()).isEqualTo(RegValue.string("A", "x"));
    assertThat(hive.queryValue(key, "").value().dwordValue()).hasValue(255);
    assertThat(hive.queryValue(key, "B").value().data()).containsExactly(1, 2, 3);
  }

  @Test
  void importDeletesKeysWithTheirSubtreeAndValuesAndIgnoresMissingOnes() {
    long keep = path(hive, "MACHINE", "SOFTWARE", "Keep");
    hive.setValue(keep, RegValue.dword("Drop", 1));
    hive.setValue(keep, RegValue.dword("Stay", 2));
    path(hive, "MACHINE", "SOFTWARE", "Doomed", "Child", "Grandchild");

    RegImportResult result =
        RegFile.importText(
            hive,
            lines(
                "Windows Registry Editor Version 5.00",
                "",
                "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Doomed]",
                "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\NeverWas\\Below]",
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Keep]",
                "\"Drop\"=-",
                "\"NeverWas\"=-"));

    assertThat(result.status()).as(result.message()).isEqualTo(STATUS_SUCCESS);
    assertThat(find(hive, "MACHINE", "SOFTWARE", "Doomed").status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.queryValue(keep, "Drop").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.queryValue(keep, "Stay").status()).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.checkRegistry()).isEmpty();
  }

  @Test
  void importFollowsCurrentControlSetToControlSet001() {
    HiveLayout.ensure(hive);

    RegImportResult result =
        RegFile.importText(
            hive,
            lines(
                "Windows Registry Editor Version 5.00",
                "",
                "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo]",
                "\"Type\"=dword:00000001"));

    assertThat(result.status()).isEqualTo(STATUS_SUCCESS);
    long echo = find(hive, "MACHINE", "SYSTEM", "ControlSet001", "Services", "Echo").keyId();
    assertThat(hive.queryValue(echo, "Type").value().dwordValue()).hasValue(1);
    KeyResult link =
        hive.resolvePath(hive.rootId(), List.of("MACHINE", "SYSTEM", "CurrentControlSet"), false);
    assertThat(hive.info(link.keyId()).info().isLink()).isTrue();
    assertThat(hive.info(link.keyId()).info().subkeyCount()).isZero();
  }

  @Test
  void aStepThatFailsUndoesTheWholeImportAndReportsItsLine() {
    HiveLayout.ensure(hive);

    RegImportResult result =
        RegFile.importText(
            hive,
            lines(
                "Windows Registry Editor Version 5.00",
                "",
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Applied]",
                "\"x\"=dword:00000001",
                "",
                "[HKEY_LOCAL_MACHINE\\HARDWARE\\Stable]",
                "\"y\"=dword:00000002"));

    assertThat(result.status()).isEqualTo(STATUS_CHILD_MUST_BE_VOLATILE);
    assertThat(result.line()).isEqualTo(6);
    assertThat(result.message()).contains("\\REGISTRY\\MACHINE\\HARDWARE\\Stable");
    assertThat(find(hive, "MACHINE", "SOFTWARE", "Applied").status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.checkRegistry()).isEmpty();
  }

  @Test
  void importReadsUtf8WithAndWithoutAByteOrderMark() {
    String text =
        lines(
            "Windows Registry Editor Version 5.00",
            "",
            "[HKLM\\SOFTWARE\\U]",
            "\"s\"=\"\u00e9\u2603\"");
    ByteArrayOutputStream withBom = new ByteArrayOutputStream();
    withBom.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    withBom.writeBytes(text.getBytes(StandardCharsets.UTF_8));

    assertThat(RegFile.importBytes(hive, withBom.toByteArray()).status()).isEqualTo(STATUS_SUCCESS);
    assertThat(
            RegFile.importBytes(
                    hive, text.replace("\"s\"", "\"t\"").getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(STATUS_SUCCESS);
    long key = find(hive, "MACHINE", "SOFTWARE", "U").keyId();
    assertThat(hive.queryValue(key, "s").value().stringValue()).contains("\u00e9\u2603");
    assertThat(hive.queryValue(key, "t").value().stringValue()).contains("\u00e9\u2603");
  }

  @Test
  void textThatStillStartsWithAByteOrderMarkImports() {
    RegImportResult result =
        RegFile.importText(hive, "\uFEFF" + HEADER + "\r\n[HKLM\\SOFTWARE\\Bom]\r\n");

    assertThat(result.status()).as(result.message()).isEqualTo(STATUS_SUCCESS);
    assertThat(find(hive, "MACHINE", "SOFTWARE", "Bom").status()).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void aByteThatIsNotValidInTheFilesEncodingIsReportedOnItsLine() {
    byte[] utf8 =
        lines("Windows Registry Editor Version 5.00", "", "[HKLM\\SOFTWARE\\X]", "\"s\"=\"#\"")
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] == '#') {
        utf8[i] = (byte) 0xC3; // a lead byte followed by '"', not a continuation byte
      }
    }
    byte[] utf16 = RegFile.encode(lines("Windows Registry Editor Version 5.00", "", "#"));
    utf16[utf16.length - 4] = 0x00;
    utf16[utf16.length - 3] = (byte) 0xDC; // a lone low surrogate on line 3

    RegImportResult bad8 = RegFile.importBytes(hive, utf8);
    RegImportResult bad16 = RegFile.importBytes(hive, utf16);
    RegImportResult bigEndian =
        RegFile.importBytes(hive, new byte[] {(byte) 0xFE, (byte) 0xFF});

    assertThat(bad8.status()).isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(bad8.line()).isEqualTo(4);
    assertThat(bad8.message()).contains("UTF-8");
    assertThat(bad16.line()).isEqualTo(3);
    assertThat(bad16.message()).contains("UTF-16LE");
    assertThat(bigEndian.status()).isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(bigEndian.message()).contains("UTF-16BE");
    assertThat(find(hive, "MACHINE").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  static Stream<Arguments> malformedFiles() {
    String ok = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Applied]\r\n\"ok\"=dword:00000001\r\n";
    return Stream.of(
        Arguments.of("bad header", "Windows Registry Editor Version 4.00\r\n", 1, "bad header"),
        Arguments.of("REGEDIT4", "REGEDIT4\r\n" + ok, 1, "REGEDIT4"),
        Arguments.of("empty file", "", 1, "empty"),
        Arguments.of("unterminated string", HEADER + ok + "\"Name\"=\"abc\r\n", 4, "unterminated"),
        Arguments.of("unterminated name", HEADER + ok + "\"Name=\"abc\"\r\n", 4, "expected '='"),
        Arguments.of(
            "bad hex byte", HEADER + ok + "\"B\"=hex:01,0g,03\r\n", 4, "bad hex byte '0g'"),
        Arguments.of(
            "three-digit hex byte", HEADER + ok + "\"B\"=hex:012\r\n", 4, "bad hex byte '012'"),
        Arguments.of(
            "bad hex byte after a continuation",
            HEADER + ok + "\"B\"=hex:01,02,\\\r\n  03,zz\r\n",
            5,
            "bad hex byte 'zz'"),
        Arguments.of("dangling comma", HEADER + ok + "\"B\"=hex:01,\r\n", 4, "missing hex byte"),
        Arguments.of(
            "missing comma", HEADER + ok + "\"B\"=hex:01 02\r\n", 4, "expected ',' between"),
        Arguments.of(
            "continuation at the end", HEADER + ok + "\"B\"=hex:01,\\\r\n", 4, "end of the file"),
        Arguments.of(
            "blank continuation line",
            HEADER + ok + "\"B\"=hex:01,\\\r\n\r\n02\r\n",
            5,
            "continuation line"),
        Arguments.of(
            "dword out of range", HEADER + ok + "\"D\"=dword:100000000\r\n", 4, "out of range"),
        Arguments.of("bad dword", HEADER + ok + "\"D\"=dword:12x4\r\n", 4, "bad dword value"),
        Arguments.of("empty dword", HEADER + ok + "\"D\"=dword:\r\n", 4, "bad dword value"),
        Arguments.of(
            "unknown root", HEADER + "\r\n[HKEY_CURRENT_USER\\Software]\r\n", 3, "unknown root"),
        Arguments.of(
            "missing bracket", HEADER + ok + "[HKEY_LOCAL_MACHINE\\SOFTWARE\r\n", 4, "missing ']'"),
        Arguments.of(
            "text after bracket", HEADER + ok + "[HKLM\\SOFTWARE] x\r\n", 4, "after the key name"),
        Arguments.of(
            "value before any key", HEADER + "\r\n\"Early\"=\"x\"\r\n" + ok, 3, "before any [key]"),
        Arguments.of(
            "bad escape", HEADER + ok + "\"A\"=\"x\\ty\"\r\n", 4, "bad escape sequence '\\t'"),
        Arguments.of(
            "unknown data type", HEADER + ok + "\"A\"=str:\"x\"\r\n", 4, "unknown value data"),
        Arguments.of("missing data", HEADER + ok + "\"A\"=\r\n", 4, "missing value data"),
        Arguments.of(
            "text after data", HEADER + ok + "\"A\"=\"b\" junk\r\n", 4, "after the value data"),
        Arguments.of("bad hex type", HEADER + ok + "\"A\"=hex(zz):00\r\n", 4, "bad value type"),
        Arguments.of(
            "hex type without colon", HEADER + ok + "\"A\"=hex(2)00\r\n", 4, "expected ':'"),
        Arguments.of("stray line", HEADER + ok + "garbage\r\n", 4, "unexpected text 'garbage'"),
        Arguments.of(
            "empty component",
            HEADER + ok + "[HKLM\\SOFTWARE\\\\X]\r\n",
            4,
            "empty key name component"),
        Arguments.of(
            "long component",
            HEADER + ok + "[HKLM\\" + "k".repeat(256) + "]\r\n",
            4,
            "256 characters"),
        Arguments.of(
            "long value name",
            HEADER + ok + "\"" + "v".repeat(16384) + "\"=dword:1\r\n",
            4,
            "16384 characters"),
        Arguments.of("delete a root", HEADER + ok + "[-HKLM]\r\n", 4, "cannot delete the root"),
        Arguments.of(
            "value under a deletion",
            HEADER + ok + "[-HKLM\\SOFTWARE\\Gone]\r\n\"v\"=dword:1\r\n",
            5,
            "deletion header"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFiles")
  void aMalformedFileIsRefusedWithItsLineAndNothingIsApplied(
      String what, String text, int line, String message) {
    RegImportResult result = RegFile.importText(hive, text);

    assertThat(result.status()).isEqualTo(STATUS_INVALID_PARAMETER);
    assertThat(result.line()).as(result.message()).isEqualTo(line);
    assertThat(result.message()).contains(message);
    assertThat(find(hive, "MACHINE").status())
        .as("nothing applied")
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }
}
