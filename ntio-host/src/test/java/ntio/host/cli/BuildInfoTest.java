package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

  @Test
  void versionNamesTheProjectVersionAndTheCommitThisTreeWasBuiltFrom() throws Exception {
    CliHarness.Result r = CliHarness.run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().findFirst()).hasValue(
        "ntio " + BuildInfo.current().version() + " (commit " + headOfThisTree() + ")");
    assertThat(BuildInfo.current().version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void aBuildWithoutGitHistoryReportsTheCommitAsUnknown() {
    Properties fromASourceArchive = new Properties();
    fromASourceArchive.setProperty("version", "0.1.0");
    fromASourceArchive.setProperty("commit", "unknown");

    assertThat(BuildInfo.of(fromASourceArchive).describe()).isEqualTo("ntio 0.1.0 (commit unknown)");
  }

  @Test
  void aMissingOrUnexpandedValueIsUnknown() {
    Properties unexpanded = new Properties();
    unexpanded.setProperty("commit", "${ntio.commit}");

    assertThat(BuildInfo.of(unexpanded)).isEqualTo(new BuildInfo("unknown", "unknown"));
  }

  /**
   * What git says HEAD of this source tree is, asked as the build asks (its own .git alone), or
   * "unknown" when there is no git history: the test then proves the fallback.
   */
  private static String headOfThisTree() throws IOException, InterruptedException {
    Path gitDir = Path.of("").toAbsolutePath().getParent().resolve(".git");
    if (!Files.exists(gitDir)) {
      return BuildInfo.UNKNOWN;
    }
    Process git = new ProcessBuilder("git", "--git-dir=" + gitDir, "rev-parse", "--short=12", "HEAD")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return git.exitValue() == 0 ? head : BuildInfo.UNKNOWN;
  }
}
