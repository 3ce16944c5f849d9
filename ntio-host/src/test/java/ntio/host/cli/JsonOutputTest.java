package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.offline;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;
import ntio.host.cli.CliHarness.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's {@code --json}: one document on stdout that a JSON parser reads back. */
class JsonOutputTest {

  private static final String ECHO = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Echo";

  /** Refuses anything after the first document, so "one document" is what is checked. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir
  Path state;

  private static JsonNode document(Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    try {
      return JSON.readTree(r.out());
    } catch (JsonProcessingException e) {
      throw new AssertionError("not one JSON document: " + r.out(), e);
    }
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.get(field).asText()).toList();
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode element : array) {
      if (element.path(field).asText().equals(value)) {
        return element;
      }
    }
    throw new AssertionError("no element with " + field + " = " + value + " in " + array);
  }

  @Test
  void objLsIsTheDirectoryAndItsEntriesWithLinkTargets() {
    JsonNode doc = document(embedded(state, "obj", "ls", "\\", "--json"));

    assertThat(doc.get("directory").asText()).isEqualTo("\\");
    JsonNode entries = doc.get("entries");
    assertThat(texts(entries, "name")).containsExactly(
        "Device", "DosDevices", "Driver", "FileSystem", "GLOBAL??", "ObjectTypes", "REGISTRY");
    assertThat(find(entries, "name", "Device").get("type").asText()).isEqualTo("Directory");
    assertThat(find(entries, "name", "Device").has("target")).isFalse();
    assertThat(find(entries, "name", "DosDevices").get("type").asText()).isEqualTo("SymbolicLink");
    assertThat(find(entries, "name", "DosDevices").get("target").asText()).isEqualTo("\\??");
    assertThat(find(entries, "name", "REGISTRY").get("type").asText()).isEqualTo("Key");
  }

  @Test
  void objInfoIsTheObjectHeader() {
    JsonNode doc = document(embedded(state, "obj", "info", "\\ObjectTypes\\Device", "--json"));

    assertThat(doc.get("name").asText()).isEqualTo("\\ObjectTypes\\Device");
    assertThat(doc.get("type").asText()).isEqualTo("Type");
    assertThat(doc.get("pointerCount").isIntegralNumber()).isTrue();
    assertThat(doc.get("pointerCount").asLong()).isPositive();
    assertThat(doc.get("handleCount").asLong()).isZero();
    assertThat(doc.get("permanent").isBoolean()).isTrue();
    assertThat(doc.get("permanent").asBoolean()).isTrue();
    assertThat(doc.get("exclusive").asBoolean()).isFalse();
  }

  @Test
  void objInfoOfTheRootNamesItBackslash() {
    JsonNode doc = document(embedded(state, "obj", "info", "\\", "--json"));

    assertThat(doc.get("name").asText()).isEqualTo("\\");
    assertThat(doc.get("type").asText()).isEqualTo("Directory");
  }

  @Test
  void regQueryIsTheKeyItsValuesAndTheNamesOfItsSubkeys() {
    embedded(state, "reg", "add", ECHO, "--value", "Start", "--type", "REG_DWORD", "--data", "3");
    embedded(state, "reg", "add", ECHO, "--value", "Group", "--type", "REG_MULTI_SZ", "--data", "A\\0B");
    embedded(state, "reg", "add", ECHO + "\\Parameters");

    JsonNode doc = document(embedded(state, "reg", "query", ECHO, "--json"));

    assertThat(doc.get("key").asText()).isEqualTo("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo");
    JsonNode values = doc.get("values");
    assertThat(texts(values, "name")).containsExactly("Start", "Group");
    assertThat(find(values, "name", "Start").get("type").asText()).isEqualTo("REG_DWORD");
    assertThat(find(values, "name", "Start").get("data").asText()).isEqualTo("0x3");
    assertThat(find(values, "name", "Group").get("type").asText()).isEqualTo("REG_MULTI_SZ");
    assertThat(find(values, "name", "Group").get("data").asText()).isEqualTo("A\\0B");
    assertThat(doc.get("subkeys").isArray()).isTrue();
    assertThat(doc.get("subkeys").get(0).asText())
        .isEqualTo("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo\\Parameters");
  }

  @Test
  void regQueryValueIsTheKeyWithThatValueAlone() {
    JsonNode doc = document(embedded(state, "reg", "query", "HKLM\\SYSTEM\\Select", "--value", "Current", "--json"));

    assertThat(doc.get("key").asText()).isEqualTo("HKEY_LOCAL_MACHINE\\SYSTEM\\Select");
    assertThat(doc.get("values")).hasSize(1);
    assertThat(doc.get("values").get(0).get("name").asText()).isEqualTo("Current");
    assertThat(doc.get("values").get(0).get("data").asText()).isEqualTo("0x1");
    assertThat(doc.get("subkeys")).isEmpty();
  }

  @Test
  void regQueryRecurseNestsEverySubkeyAsAKeyObject() {
    embedded(state, "reg", "add", ECHO + "\\Parameters", "--value", "Depth", "--type", "REG_DWORD", "--data", "2");

    JsonNode doc = document(embedded(state, "reg", "query", "HKLM\\SYSTEM", "--recurse", "--json"));

    assertThat(doc.get("key").asText()).isEqualTo("HKEY_LOCAL_MACHINE\\SYSTEM");
    List<String> keys = new ArrayList<>();
    collectKeys(doc, keys);
    assertThat(keys).contains(
        "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\Memory Management",
        "HKEY_LOCAL_MACHINE\\SYSTEM\\Select",
        "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Echo\\Parameters");
    JsonNode select = find(doc.get("subkeys"), "key", "HKEY_LOCAL_MACHINE\\SYSTEM\\Select");
    assertThat(texts(select.get("values"), "name")).containsExactly("Current", "Default", "LastKnownGood", "Failed");
    assertThat(select.get("subkeys")).isEmpty();
  }

  private static void collectKeys(JsonNode key, List<String> into) {
    into.add(key.get("key").asText());
    assertThat(key.get("values").isArray()).isTrue();
    for (JsonNode child : key.get("subkeys")) {
      assertThat(child.isObject()).as("with --recurse every subkey is an object: %s", child).isTrue();
      collectKeys(child, into);
    }
  }

  @Test
  void whoamiIsTheUserGroupsAndPrivileges() {
    int uid = Session.currentUid();

    JsonNode doc = document(embedded(state, "whoami", "--json"));

    assertThat(doc.get("user").get("name").asText()).isEqualTo("Unix User\\" + uid);
    assertThat(doc.get("user").get("sid").asText()).isEqualTo("S-1-22-1-" + uid);
    JsonNode admins = find(doc.get("groups"), "sid", "S-1-5-32-544");
    assertThat(admins.get("name").asText()).isEqualTo("BUILTIN\\Administrators");
    assertThat(admins.get("enabled").asBoolean()).isTrue();
    JsonNode load = find(doc.get("privileges"), "name", "SeLoadDriverPrivilege");
    assertThat(load.get("description").asText()).isEqualTo("Load and unload device drivers");
    assertThat(load.get("state").asText()).isEqualTo("Disabled");
    assertThat(find(doc.get("privileges"), "name", "SeChangeNotifyPrivilege").get("state").asText())
        .isEqualTo("Enabled");
  }

  @Test
  void whoamiPrivJsonIsOnlyThePrivileges() {
    JsonNode doc = document(embedded(state, "whoami", "--priv", "--json"));

    assertThat(doc.has("user")).isFalse();
    assertThat(doc.has("groups")).isFalse();
    assertThat(find(doc.get("privileges"), "name", "SeLoadDriverPrivilege").get("state").asText())
        .isEqualTo("Disabled");
  }

  @Test
  void poolmonIsUsageByTagAndByOwner() {
    JsonNode doc = document(embedded(state, "poolmon", "--json"));

    // A kernel booted for one command has allocated nothing yet.
    assertThat(doc.get("byTag").isArray()).isTrue();
    assertThat(doc.get("byTag")).isEmpty();
    assertThat(doc.get("byOwner").isArray()).isTrue();
    assertThat(doc.get("byOwner")).isEmpty();
  }

  @Test
  void crashLsOnAnEmptyStateIsAnEmptyList() {
    JsonNode doc = document(offline(state, "crash", "ls", "--json"));

    assertThat(doc.get("reports").isArray()).isTrue();
    assertThat(doc.get("reports")).isEmpty();
  }

  @Test
  void crashLsIsOneSummaryPerReport() {
    long address = CliHarness.useAfterFree(state);
    String id = CliHarness.crashIds(state).get(0);

    JsonNode doc = document(offline(state, "crash", "ls", "--json"));

    assertThat(doc.get("reports")).hasSize(1);
    JsonNode report = doc.get("reports").get(0);
    assertSummary(report, id);
    assertThat(parameter(report.get("parameters").get(0))).isEqualTo(address);
    assertThat(report.has("message")).isFalse();
    assertThat(report.has("stack")).isFalse();
  }

  @Test
  void crashShowIsTheSummaryWithMessageAndStack() {
    long address = CliHarness.useAfterFree(state);
    String id = CliHarness.crashIds(state).get(0);

    JsonNode doc = document(offline(state, "crash", "show", id, "--json"));

    assertSummary(doc, id);
    assertThat(parameter(doc.get("parameters").get(0))).isEqualTo(address);
    assertThat(doc.get("message").asText()).contains("freed pool", "tag 'Leak'", hex(address));
    assertThat(doc.get("stack").asText()).contains("ntio.kernel.executive.PoolAllocation.getByte");
  }

  @Test
  void crashParametersAreUnsignedHexAsTheReportFileHasThem() {
    long address = CliHarness.useAfterFree(state);
    String id = CliHarness.crashIds(state).get(0);

    JsonNode show = document(offline(state, "crash", "show", id, "--json"));
    JsonNode ls = document(offline(state, "crash", "ls", "--json"));

    assertThat(StreamSupport.stream(show.get("parameters").spliterator(), false).map(JsonNode::asText).toList())
        .containsExactly(hex(address), "0x0", "0x0", "0x0");
    assertThat(ls.get("reports").get(0).get("parameters")).isEqualTo(show.get("parameters"));
  }

  @Test
  void scQueryOfOneServiceIsThatServiceAndWithoutANameEveryDriverService() {
    embedded(state, "sc", "create", "Echo", "--image", CliHarness.sampleImage("Echo").toString(), "--start", "auto");
    embedded(state, "sc", "create", "NullFs", "--image", CliHarness.sampleImage("Null").toString(), "--type", "filesys");

    JsonNode echo = document(embedded(state, "sc", "query", "Echo", "--json"));
    JsonNode all = document(embedded(state, "sc", "query", "--json"));

    assertThat(echo.get("name").asText()).isEqualTo("Echo");
    assertThat(echo.get("type").asInt()).isEqualTo(1);
    assertThat(echo.get("typeName").asText()).isEqualTo("KERNEL_DRIVER");
    assertThat(echo.get("state").asInt()).isEqualTo(1);
    assertThat(echo.get("stateName").asText()).isEqualTo("STOPPED");
    assertThat(echo.get("start").asInt()).isEqualTo(2);
    assertThat(echo.get("startName").asText()).isEqualTo("AUTO_START");
    assertThat(echo.get("imagePath").asText()).isEqualTo("System32\\drivers\\Echo.jar");
    assertThat(echo.get("driverObject").isNull()).isTrue();
    assertThat(texts(all.get("services"), "name")).containsExactly("Echo", "NullFs");
    assertThat(find(all.get("services"), "name", "NullFs").get("typeName").asText()).isEqualTo("FILE_SYSTEM_DRIVER");
  }

  @Test
  void driverqueryIsOneRowPerLoadedDriver() {
    try (CliHarness.RunningKernel kernel = new CliHarness.RunningKernel(state)) {
      kernel.admin("sc", "create", "Echo", "--image", CliHarness.sampleImage("Echo").toString());
      kernel.admin("sc", "start", "Echo");

      JsonNode doc = document(kernel.admin("driverquery", "--json"));

      JsonNode echo = find(doc.get("drivers"), "module", "Echo");
      assertThat(echo.get("driverObject").asText()).isEqualTo("\\Driver\\Echo");
      assertThat(echo.get("image").asText()).isEqualTo("\\SystemRoot\\System32\\drivers\\Echo.jar");
      assertThat(echo.get("type").asText()).isEqualTo("Kernel");
      assertThat(echo.get("state").asText()).isEqualTo("Running");
      assertThat(echo.get("devices").asInt()).isEqualTo(1);
      assertThat(echo.get("openReferences").asInt()).isZero();
    }
  }

  @Test
  void objInfoOfADeviceCarriesWhatDevobjShows() {
    try (CliHarness.RunningKernel kernel = new CliHarness.RunningKernel(state)) {
      kernel.admin("sc", "create", "Echo", "--image", CliHarness.sampleImage("Echo").toString());
      kernel.admin("sc", "start", "Echo");

      JsonNode doc = document(kernel.admin("obj", "info", "\\Device\\Echo", "--json"));

      assertThat(doc.get("type").asText()).isEqualTo("Device");
      JsonNode device = doc.get("device");
      assertThat(device.get("driver").asText()).isEqualTo("\\Driver\\Echo");
      assertThat(device.get("referenceCount").asInt()).isZero();
      assertThat(device.get("stackSize").asInt()).isPositive();
      assertThat(device.get("flagNames").isArray()).isTrue();
      assertThat(device.get("flags").asText()).matches("0x[0-9A-F]{8}");
    }
  }

  @Test
  void objInfoOfAnObjectThatIsNotADeviceHasNoDeviceField() {
    JsonNode doc = document(embedded(state, "obj", "info", "\\Device", "--json"));

    assertThat(doc.has("device")).isFalse();
  }

  @Test
  void verifierQuerySettingsIsTheSavedValuesAndTheSettingsInEffect() {
    embedded(state, "verifier", "--flags", "0x8", "--faults", "300", "--fault-delay", "0", "--driver", "Tidy.jar");

    JsonNode doc = document(embedded(state, "verifier", "--querysettings", "--json"));

    assertThat(texts(doc.get("saved"), "name")).containsExactly(
        "VerifyDrivers", "VerifyDriverLevel", "VerifyFaultProbability", "VerifyFaultDelayMinutes");
    JsonNode inEffect = doc.get("inEffect");
    assertThat(inEffect.get("drivers").get(0).asText()).isEqualTo("TIDY.JAR");
    assertThat(inEffect.get("flags").asText()).isEqualTo("0x0000000C");
    assertThat(texts(inEffect.get("checks"), "name")).containsExactly(
        "Randomized low resources simulation", "Pool tracking");
    assertThat(inEffect.get("faults").get("probability").asInt()).isEqualTo(300);
    assertThat(inEffect.get("faults").get("delayMinutes").asInt()).isZero();
  }

  @Test
  void verifierQueryIsTheStatisticsOfEachVerifiedDriverAndTheFindings() {
    try (CliHarness.RunningKernel kernel = new CliHarness.RunningKernel(state)) {
      kernel.admin("verifier", "--standard", "--driver", "Tidy.jar");
      kernel.admin("sc", "create", "Tidy", "--image", CliHarness.sampleImage("Tidy").toString());
      kernel.admin("sc", "start", "Tidy");

      JsonNode doc = document(kernel.admin("verifier", "--query", "--json"));

      JsonNode tidy = find(doc.get("drivers"), "image", "Tidy.jar");
      assertThat(tidy.get("loaded").asBoolean()).isTrue();
      assertThat(tidy.get("flags").asText()).isEqualTo("0x000209BB");
      assertThat(tidy.get("allocations").asLong()).isGreaterThanOrEqualTo(tidy.get("frees").asLong());
      assertThat(tidy.get("outstanding").asLong())
          .isEqualTo(tidy.get("allocations").asLong() - tidy.get("frees").asLong());
      assertThat(tidy.get("faultsInjected").asLong()).isZero();
      assertThat(tidy.get("findings").isArray()).isTrue();
      assertThat(doc.get("findings").isArray()).isTrue();
    }
  }

  private static void assertSummary(JsonNode report, String id) {
    assertThat(report.get("id").asText()).isEqualTo(id);
    assertThat(report.get("code").asText()).isEqualTo("0x00000050");
    assertThat(report.get("name").asText()).isEqualTo("PAGE_FAULT_IN_NONPAGED_AREA");
    assertThat(report.get("driver").asText()).isEqualTo("ntoskrnl");
    assertThat(report.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(report.get("parameters").isArray()).isTrue();
    assertThat(report.get("parameters")).hasSize(4);
  }

  /** A bug-check parameter as printed today (a signed number) or as the report file has it ("0x..."). */
  private static long parameter(JsonNode node) {
    return node.isTextual() ? Long.parseUnsignedLong(node.asText().substring(2), 16) : node.asLong();
  }

  private static String hex(long value) {
    return "0x" + Long.toHexString(value).toUpperCase(Locale.ROOT);
  }
}
