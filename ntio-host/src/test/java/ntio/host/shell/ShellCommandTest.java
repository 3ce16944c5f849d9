package ntio.host.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ntio.host.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntio --embedded shell --script FILE} as a user runs it: one kernel for the whole script. */
@Timeout(120)
class ShellCommandTest {

  @TempDir
  Path state;

  @TempDir
  Path scripts;

  private record Result(int exitCode, String out, String err) {}

  private Result shell(String... lines) throws IOException {
    Path script = scripts.resolve("script.ntio");
    Files.writeString(script, String.join("\n", lines) + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("--state", state.toString(), "--embedded", "shell", "--script", script.toString()));
    int exitCode = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Result(exitCode, out.toString(), err.toString());
  }

  @Test
  void theNtioCommandsRunOnTheShellsKernelWithoutShuttingItDownBetweenLines() throws IOException {
    Result r = shell(
        "reg add HKLM\\SOFTWARE\\ShellTest --value Greeting --type REG_SZ --data hello",
        "whoami",
        "reg query HKLM\\SOFTWARE\\ShellTest",
        "obj ls \\");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("USER INFORMATION").contains("Greeting").contains("REG_SZ").contains("Directory \\ (");
  }

  @Test
  void theShellsOwnHandleIsWhatHoldsAStoppedDriverAndHandleListsIt() throws Exception {
    Path echo = Path.of(ShellCommandTest.class.getResource("/ntio/drivers/Echo.jar").toURI());
    Result r = shell(
        "sc create Echo --image " + echo,
        "sc start Echo",
        "open \\Device\\Echo --as e",
        "sc stop Echo",
        "handle -p ntio Echo",
        "close e",
        "sc query Echo");

    assertThat(r.err()).isEmpty();
    String out = r.out().replaceAll(" +", " ");
    assertThat(out).contains("STATE : 3 STOP_PENDING")
        .containsPattern("HELD_BY : handle 0x[0-9A-F]+ of process \\d+ \\(ntio, user [^)]+\\)\\) on \\\\Device\\\\Echo")
        .containsPattern("\nntio \\d+ .* 0x[0-9A-F]+ File \\\\Device\\\\Echo\n")
        .contains("STATE : 1 STOPPED");
  }

  @Test
  void theShellCannotBeStartedInsideItself() throws IOException {
    Result r = shell("shell");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown command 'shell'");
  }

  @Test
  void anNtioCommandsUsageErrorIsTheLinesUsageError() throws IOException {
    Result r = shell("reg frobnicate");

    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void stopOnErrorEndsTheScriptAtTheFirstFailingCommand() throws IOException {
    Path script = scripts.resolve("stop.ntio");
    Files.writeString(script, "open \\Device\\Nothing\nwhoami\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exitCode = Main.run(new String[] {"--state", state.toString(), "--embedded", "shell", "--stop-on-error",
        "--script", script.toString()}, new PrintWriter(out), new PrintWriter(err));

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
  }

  @Test
  void withoutAKernelTheShellSaysHowToGetOneAndExitsWithThree() throws IOException {
    Path script = scripts.resolve("any.ntio");
    Files.writeString(script, "handles\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exitCode = Main.run(new String[] {"--state", state.toString(), "shell", "--script", script.toString()},
        new PrintWriter(out), new PrintWriter(err));

    assertThat(exitCode).isEqualTo(3);
    assertThat(err.toString()).contains("--embedded");
  }
}
