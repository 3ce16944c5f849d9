package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ntio verifier}: DV2's settings saved in the registry, applied at the next load, and the statistics. */
class VerifierCommandTest {

  private static final String MEMORY_MANAGEMENT =
      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management";

  @TempDir
  Path state;

  @Nested
  class Settings {

    @Test
    void DV2_standardSavesVerifyDriversAndVerifyDriverLevelForTheNextLoad() {
      Result r = embedded(state, "verifier", "--standard", "--driver", "Leaky.jar", "Tidy.jar");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).containsExactly(
          "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management",
          "    VerifyDrivers    REG_SZ    Leaky.jar Tidy.jar",
          "    VerifyDriverLevel    REG_DWORD    0x209bb",
          "",
          "The new settings take effect at the next load of each driver.");
      assertThat(embedded(state, "reg", "query", MEMORY_MANAGEMENT).out().lines().toList()).contains(
          "    VerifyDrivers    REG_SZ    Leaky.jar Tidy.jar",
          "    VerifyDriverLevel    REG_DWORD    0x209bb");
    }

    @Test
    void querySettingsShowsTheSavedValuesAndTheChecksInEffect() {
      embedded(state, "verifier", "--standard", "--driver", "Tidy.jar");

      Result r = embedded(state, "verifier", "--querysettings");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.outLines()).containsSubsequence(
          "Saved settings (HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management):",
          "VerifyDrivers REG_SZ Tidy.jar",
          "VerifyDriverLevel REG_DWORD 0x209bb",
          "",
          "Settings in effect for the next load:",
          "Verified drivers: TIDY.JAR",
          "Flags: 0x000209BB",
          "0x00000001 Special pool",
          "0x00000008 Pool tracking",
          "0x00020000 DDI compliance checking");
      assertThat(r.out()).doesNotContain("Faults:", "Randomized low resources simulation");
    }

    @Test
    void flagsWithFaultsSavesTheFaultValuesAndAddsTheLowResourcesBit() {
      Result r = embedded(state, "verifier", "--flags", "0x8", "--faults", "10000", "--fault-delay", "0",
          "--fault-tags", "Tdy* Irp", "--fault-seed", "99", "--systematic", "--driver", "Tidy.jar");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).contains(
          "    VerifyDriverLevel    REG_DWORD    0x4000c",
          "    VerifyFaultProbability    REG_DWORD    0x2710",
          "    VerifyFaultTags    REG_SZ    Tdy* Irp",
          "    VerifyFaultDelayMinutes    REG_DWORD    0x0",
          "    VerifyFaultSeed    REG_QWORD    0x63");
      assertThat(embedded(state, "verifier", "--querysettings").outLines()).contains(
          "Flags: 0x0004000C",
          "0x00000004 Randomized low resources simulation",
          "0x00040000 Systematic low resources simulation",
          "Faults: probability 10000/10000, tags Tdy* Irp, delay 0 minute(s) after boot, seed 0x63");
    }

    @Test
    void newSettingsReplaceTheOldOnesWhole() {
      embedded(state, "verifier", "--flags", "8", "--faults", "5000", "--driver", "Tidy.jar");

      embedded(state, "verifier", "--standard", "--driver", "Leaky.jar");

      Result saved = embedded(state, "reg", "query", MEMORY_MANAGEMENT);
      assertThat(saved.out()).contains("VerifyDrivers    REG_SZ    Leaky.jar").doesNotContain("VerifyFault");
    }

    @Test
    void allVerifiesEveryDriver() {
      embedded(state, "verifier", "--standard", "--all");

      assertThat(embedded(state, "verifier", "--querysettings").outLines())
          .contains("VerifyDrivers REG_SZ *", "Verified drivers: *");
    }

    @Test
    void resetDeletesTheValues() {
      embedded(state, "verifier", "--flags", "8", "--faults", "--driver", "Tidy.jar");

      Result r = embedded(state, "verifier", "--reset");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("No drivers will be verified");
      assertThat(embedded(state, "reg", "query", MEMORY_MANAGEMENT).out()).doesNotContain("Verify");
      assertThat(embedded(state, "verifier", "--querysettings").outLines())
          .contains("(none)", "Verified drivers: none", "Flags: 0x00000000");
    }

    @ParameterizedTest(name = "verifier {0}")
    @CsvSource(delimiter = '|', value = {
        "''|give one of",
        "--standard --flags 8 --driver A.jar|give one of",
        "--standard|--driver IMAGE",
        "--standard --all --driver A.jar|--driver IMAGE",
        "--query --driver A.jar|go with --standard or --flags",
        "--flags nope --driver A.jar|not a number: nope",
        "--standard --faults 20000 --driver A.jar|fault probability 20000 is not between 0 and 10000",
        "--standard --fault-delay 1 --driver A.jar|go with --faults",
        "--reset --json|--json goes with"})
    void aContradictoryOrMalformedRequestIsAUsageErrorThatSaysWhy(String args, String why) {
      String[] words = args.isEmpty() ? new String[0] : args.split(" ");
      String[] all = new String[words.length + 1];
      all[0] = "verifier";
      System.arraycopy(words, 0, all, 1, words.length);

      Result r = embedded(state, all);

      assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).startsWith("ntio: verifier: ").contains(why);
      assertThat(embedded(state, "reg", "query", MEMORY_MANAGEMENT).out()).doesNotContain("Verify");
    }

    @Test
    void aStandardUserCannotChangeTheSettings() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        Result r = kernel.user("verifier", "--standard", "--driver", "Tidy.jar");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(r.err()).contains("STATUS_ACCESS_DENIED (0xC0000022)");
      }
    }
  }

  @Nested
  class OnOneKernel {

    @Test
    void queryAfterALoadShowsTheDriversPoolFiguresAndAfterItsUnloadNothingOutstanding() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        assertThat(kernel.admin("verifier", "--standard", "--driver", "Tidy.jar").exitCode()).isZero();
        kernel.admin("sc", "create", "Tidy", "--image", sampleImage("Tidy").toString());
        assertThat(kernel.admin("verifier", "--query").outLines())
            .containsExactly("No driver has been verified since the kernel started.", "", "No findings.");

        assertThat(kernel.admin("sc", "start", "Tidy").outLines()).contains("STATE : 4 RUNNING");
        Result loaded = kernel.admin("verifier", "--query");

        assertThat(loaded.exitCode()).as(loaded.err()).isZero();
        assertThat(loaded.outLines().get(0)).isEqualTo(
            "Image Loaded Flags Allocs Frees Outstanding Peak Faults Systematic Findings");
        assertThat(loaded.outLines().get(1)).matches("Tidy\\.jar yes 0x000209BB \\d+ \\d+ \\d+ \\d+ 0 0 0");

        kernel.admin("sc", "stop", "Tidy");
        kernel.awaitDriverGone("\\Driver\\Tidy", "Tidy.jar");
        Result unloaded = kernel.admin("verifier", "--query");
        assertThat(unloaded.outLines().get(1)).matches("Tidy\\.jar no 0x000209BB (\\d+) \\1 0 \\d+ 0 0 0");
        assertThat(unloaded.outLines()).contains("No findings.");
      }
    }

    @Test
    void volatileAppliesNowWithoutSaving() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        Result r = kernel.admin("verifier", "--standard", "--volatile", "--driver", "Tidy.jar");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("in effect now").contains("not saved");
        assertThat(kernel.admin("verifier", "--querysettings").outLines())
            .contains("(none)", "Verified drivers: TIDY.JAR", "Flags: 0x000209BB");
      }
    }

    @Test
    void volatileNeedsSeDebugPrivilege() {
      try (RunningKernel kernel = new RunningKernel(state)) {
        Result r = kernel.user("verifier", "--standard", "--volatile", "--driver", "Tidy.jar");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(r.errLines()).containsExactly(
            "ntio: cannot apply the verifier settings: STATUS_PRIVILEGE_NOT_HELD (0xC0000061)");
      }
    }
  }
}
