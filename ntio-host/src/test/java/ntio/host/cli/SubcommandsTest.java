package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
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
    // sc's class subcommand (config) is always there; of its method subcommands, the one named.
    assertThat(line.getSubcommands().get("sc").getSubcommands()).containsOnlyKeys("config", "query");
  }

  @Test
  void aCommandWhoseMethodsAreItsSubcommandsRegistersTheMethodTheLineNamesAlone() {
    CommandLine line = NtioCommand.commandLineFor(new String[] {"reg", "query", "\\Registry\\Machine"},
        NOWHERE, NOWHERE, Session::embedded);

    assertThat(line.getSubcommands().get("reg").getSubcommands()).containsOnlyKeys("query");
  }

  @Test
  void withoutAMethodNameEveryMethodSubcommandIsRegisteredInPicoclisOwnOrder() {
    for (Class<?> command : List.of(ScCommand.class, RegCommand.class, ObjCommand.class)) {
      CommandLine picocli = new CommandLine(command);
      picocli.getCommandSpec().addMethodSubcommands();
      String name = picocli.getCommandName();

      for (String[] args : new String[][] {{name}, {name, "--help"}, {name, "frob"}}) {
        CommandLine line = NtioCommand.commandLineFor(args, NOWHERE, NOWHERE, Session::embedded);
        assertThat(line.getSubcommands().get(name).getSubcommands().keySet())
            .as(String.join(" ", args))
            .containsExactlyElementsOf(picocli.getSubcommands().keySet());
      }
    }
  }

  @Test
  void theWordAfterTheCommandNameIsTheMethodSubcommandsName() {
    assertThat(Subcommands.wordAfter(new String[] {"--state", "s", "sc", "query", "Null"}, "sc")).isEqualTo("query");
    assertThat(Subcommands.wordAfter(new String[] {"sc"}, "sc")).isNull();
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
