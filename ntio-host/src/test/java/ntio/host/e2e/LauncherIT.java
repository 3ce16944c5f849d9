package ntio.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ntio} launcher script and its class-data-sharing archive, run as a user
 * runs it: a copy of the script beside a copy of the built jar, in a tree with no sources, so the
 * launcher never builds and each test owns its archive.
 */
class LauncherIT {

  @TempDir
  Path root;

  private Path archive;

  @BeforeEach
  void copyTheLauncherAndTheJar() throws IOException {
    Path built = Path.of(System.getProperty("ntio.jar", "target/ntio.jar")).toAbsolutePath();
    Path launcher = built.getParent().getParent().getParent().resolve("ntio");
    Files.copy(launcher, root.resolve("ntio"));
    Path target = Files.createDirectories(root.resolve("ntio-host/target"));
    Files.copy(built, target.resolve("ntio.jar"));
    archive = target.resolve("cds/ntio.jsa");
  }

  @Test
  void theFirstRunMakesTheArchiveAndPrintsNothingButTheCommandsOutput() throws Exception {
    Run run = ntio(Map.of(), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().toList()).hasSize(2).first().asString().startsWith("ntio ");
    assertThat(run.err()).isEmpty();
    assertThat(archive).isNotEmptyFile();
  }

  @Test
  void aLaterRunLoadsTheCommandLineFromTheArchive() throws Exception {
    List<String> classes = classesLoadedByALaterRun();

    assertThat(classes).anyMatch(
        line -> line.contains("ntio.host.cli.Main source: shared objects file"));
  }

  @Test
  void theArchiveHoldsPicocliWhoseClassFilesTheBuildUpgraded() throws Exception {
    List<String> classes = classesLoadedByALaterRun();

    assertThat(classes)
        .anyMatch(line -> line.contains("picocli.CommandLine source: shared objects file"))
        .noneMatch(line -> line.contains(" picocli.") && !line.contains("source: shared objects file"));
  }

  /** The JVM's class-loading log of {@code ntio --version} run after a first run made the archive. */
  private List<String> classesLoadedByALaterRun() throws Exception {
    ntio(Map.of(), "--version");
    Path classes = root.resolve("classes.txt");

    Run run = ntio(Map.of("NTIO_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--version");

    assertThat(run.exitCode()).isZero();
    return Files.readAllLines(classes);
  }

  @Test
  void aJarNewerThanItsArchiveGetsANewOne() throws Exception {
    ntio(Map.of(), "--version");
    Path jar = root.resolve("ntio-host/target/ntio.jar");
    FileTime older = FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000);
    Files.setLastModifiedTime(archive, older);

    ntio(Map.of(), "--version");

    assertThat(Files.getLastModifiedTime(archive)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));
  }

  @Test
  void whereNoArchiveCanBeMadeTheCommandStillRuns() throws Exception {
    Files.writeString(root.resolve("ntio-host/target/cds"), "a file where the archive's directory would go");

    Run run = ntio(Map.of(), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("ntio ");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void ntioCds0StartsWithoutAnArchiveAndMakesNone() throws Exception {
    Run run = ntio(Map.of("NTIO_CDS", "0"), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(archive).doesNotExist();
  }

  private record Run(int exitCode, String out, String err) {}

  private Run ntio(Map<String, String> environment, String... args) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(
        concat(List.of("bash", root.resolve("ntio").toString()), List.of(args))).directory(root.toFile());
    builder.environment().putAll(environment);
    Path out = root.resolve("out.txt");
    Path err = root.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(Ntio.COMMAND_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS))
        .as("the launcher finished").isTrue();
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
  }
}
