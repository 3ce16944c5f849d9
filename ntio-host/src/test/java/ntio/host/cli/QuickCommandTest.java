package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ntio.host.cli.CliHarness.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17: {@code sc query}, {@code sc start} and {@code sc stop} run without picocli's model
 * ({@link QuickCommand}), and say and return exactly what picocli's run of the same line does;
 * every other line is left to picocli.
 */
class QuickCommandTest {

  @TempDir
  Path state;

  @BeforeEach
  void twoServices() {
    assertThat(embedded(state, "sc", "create", "Echo", "--image", sampleImage("Echo").toString()).exitCode()).isZero();
    assertThat(embedded(state, "sc", "create", "Null", "--image", sampleImage("Null").toString()).exitCode()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sc query Echo", "sc query", "sc query --json", "sc query --json Echo",
      "sc query Null --json", "sc query NoSuch", "sc query bad\\name", "--embedded --state STATE sc query Echo",
      "sc start Echo", "sc stop Echo", "sc start NoSuch", "sc stop Null", "sc start bad\\name"})
  void quickLinesPrintAndReturnWhatPicocliDoes(String line) {
    String[] args = argsOf(line);
    assertThat(QuickCommand.of(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Session::embedded)).as("taken without picocli").isPresent();

    Result quick = CliHarness.run(args);
    Result parsed = throughPicocli(args);

    assertThat(quick).isEqualTo(parsed);
    assertThat(quick.out() + quick.err()).isNotBlank();
  }

  @Test
  void aQuickQueryOfAnUnreachableDaemonIsExit3AsEver() {
    String[] args = {"--state", state.toString(), "sc", "query", "Echo"};

    Result quick = CliHarness.run(args);

    assertThat(quick).isEqualTo(throughPicocli(args));
    assertThat(quick.exitCode()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sc query --help", "sc query -h", "sc query Echo Null", "sc query --json --json",
      "--state=STATE sc query", "sc query --state STATE Echo", "sc query -- Echo", "sc",
      "--embedded --embedded sc query", "--state STATE --state STATE sc query", "--socket", "sc query -V",
      "--version", "sc QUERY Echo", "sc query ''", "sc start", "sc stop", "sc start Echo --json",
      "sc start Echo Null", "sc stop --help", "sc delete Echo", "sc create Echo"})
  void everyOtherLineIsLeftToPicocli(String line) {
    String[] args = line.replace("''", "").split(" ", -1);
    args = argsOf(String.join(" ", args));
    if (line.endsWith("''")) {
      List<String> withEmpty = new ArrayList<>(List.of(args));
      withEmpty.add("");
      args = withEmpty.toArray(String[]::new);
    }

    assertThat(QuickCommand.of(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Session::embedded)).isEmpty();
  }

  /** The line's words, with STATE as this test's state directory and {@code --embedded} added first. */
  private String[] argsOf(String line) {
    List<String> args = new ArrayList<>();
    if (!line.contains("--embedded") && line.startsWith("sc ") && !line.contains("--state")) {
      args.addAll(List.of("--state", state.toString(), "--embedded"));
    }
    for (String word : line.trim().split(" +")) {
      if (!word.isEmpty()) {
        args.add(word.replace("STATE", state.toString()));
      }
    }
    return args.toArray(String[]::new);
  }

  private static Result throughPicocli(String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int code = NtioCommand.commandLineFor(args, outWriter, errWriter, Session::embedded).execute(args);
    outWriter.flush();
    errWriter.flush();
    return new Result(code, out.toString(), err.toString());
  }
}
