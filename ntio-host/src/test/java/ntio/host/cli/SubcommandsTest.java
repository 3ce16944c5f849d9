package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SubcommandsTest {

  private static final PrintWriter NOWHERE = new PrintWriter(Writer.nullWriter());

  @Test
  void theCommandNameIsTheFirstWordThatIsNeitherARootOptionNorItsValue() {
    assertThat(Subcommands.commandName(new String[] {"--state", "sc", "--socket", "x", "reg", "query"})).isEqualTo("reg");
    assertThat(Subcommands.commandName(new String[] {"--state=dir", "--embedded", "sc", "query"})).isEqualTo("sc");
    assertThat(Subcommands.commandName(new String[] {"--help"})).isNull();
  }

  @Test
  void aCommandLineForOneCommandRegistersThatCommandAlone() {
    CommandLine line = NtioCommand.commandLineFor(new String[] {"--state", "s", "sc", "query", "Null"},
        NOWHERE, NOWHERE, Session::embedded);

    assertThat(line.getSubcommands()).containsOnlyKeys("sc");
    assertThat(line.getSubcommands().get("sc").getSubcommands()).containsKeys("query", "create", "start", "stop", "delete");
  }

  @Test
  void withoutAKnownCommandNameEveryCommandIsRegisteredForHelpAndUsageErrors() {
    CommandLine all = NtioCommand.commandLine(NOWHERE, NOWHERE);

    assertThat(all.getSubcommands()).hasSameSizeAs(Subcommands.ALL);
    for (String[] args : new String[][] {{}, {"--help"}, {"frob"}, {"--state", "sc"}}) {
      assertThat(NtioCommand.commandLineFor(args, NOWHERE, NOWHERE, Session::embedded).getSubcommands().keySet())
          .containsExactlyElementsOf(all.getSubcommands().keySet());
    }
  }

  @Test
  void aSubcommandRegisteredAloneStillInheritsTheRootsStandardOptions() {
    CliHarness.Result r = CliHarness.run("sc", "query", "--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(CliHarness.run("--version").out());
  }
}
