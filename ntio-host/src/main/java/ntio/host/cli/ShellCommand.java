package ntio.host.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import ntio.api.NtApi;
import ntio.host.shell.InteractiveShell;
import ntio.host.shell.NtioCommands;
import ntio.host.shell.ShellSession;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio shell}: one session with the kernel for many commands, so that handles stay open
 * between them. On a terminal it edits lines with JLine (history, completion); otherwise it reads
 * commands from stdin (or {@code --script FILE}), one a line, and prints only what they print.
 *
 * <p>The {@code ntio} commands run inside the shell on the shell's own session: each line gets a
 * fresh picocli line whose root is lent the shell's {@link Session} ({@link Session#borrowed}), so
 * no line boots a kernel or ends the shell's client process. With {@code --embedded}, that makes
 * one kernel for the whole script: what a deferred unload needs to be watched.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = {"An interactive session that keeps handles open between commands.",
        "Reads commands from stdin when stdin is not a terminal, so it is scriptable."},
    footer = {"", "Exit code of a script: that of the last command that failed (1 an NT failure,"
        + " 2 a usage error), 0 if none did; 'exit N' ends with N; 3, at once, when the host goes"
        + " away or its kernel halts."})
final class ShellCommand implements Callable<Integer> {

  /** Commands that make no sense inside the shell. */
  private static final Set<String> NOT_IN_THE_SHELL = Set.of("shell", "host");

  @ParentCommand
  NtioCommand root;

  @Option(names = "--stop-on-error", description = "Stop a script at the first command that fails (set -e).")
  boolean stopOnError;

  @Option(names = {"-f", "--script"}, paramLabel = "FILE", description = "Read commands from FILE rather than stdin.")
  Path script;

  @Option(names = "--history", paramLabel = "FILE",
      description = "The interactive history file. Default: <state>/shell_history, else ~/.ntio_history.")
  Path history;

  @Override
  public Integer call() throws IOException {
    try (Session session = root.session()) {
      // One client for the whole session: its handles live between lines; closing the session
      // at the end runs the client process down.
      return run(session.nt(), new LentCommands(root, Session.borrowed(session)));
    }
  }

  private int run(NtApi nt, NtioCommands commands) throws IOException {
    if (script != null) {
      try (BufferedReader in = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
        return new ShellSession(nt, root.out(), root.err(), commands).run(in, stopOnError);
      }
    }
    if (System.console() == null) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      return new ShellSession(nt, root.out(), root.err(), commands).run(in, stopOnError);
    }
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      ShellSession shell = new ShellSession(nt, terminal.writer(), root.err(), commands);
      root.out().flush();
      return InteractiveShell.run(shell, terminal, historyFile(nt.stateDirectory()));
    }
  }

  /** {@code --history}, else {@code <state>/shell_history} if the state directory is writable, else {@code ~/.ntio_history}. */
  private Path historyFile(Path state) {
    if (history != null) {
      return history;
    }
    if (Files.isDirectory(state) && Files.isWritable(state)) {
      return state.resolve("shell_history");
    }
    return Path.of(System.getProperty("user.home"), ".ntio_history");
  }

  /** The root command's subcommands, each line run on the shell's session. */
  private static final class LentCommands implements NtioCommands {

    private final NtioCommand outer;
    private final Session lent;
    private final Map<String, List<String>> subcommands = new LinkedHashMap<>();

    LentCommands(NtioCommand outer, Session lent) {
      this.outer = outer;
      this.lent = lent;
      PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
      CommandLine probe = NtioCommand.commandLine(nowhere, nowhere);
      probe.getSubcommands().forEach((name, line) -> {
        if (!NOT_IN_THE_SHELL.contains(name)) {
          subcommands.put(name, List.copyOf(new TreeSet<>(line.getSubcommands().keySet())));
        }
      });
    }

    @Override
    public Set<String> names() {
      return subcommands.keySet();
    }

    @Override
    public List<String> subcommands(String command) {
      return subcommands.getOrDefault(command, List.of());
    }

    @Override
    public int run(List<String> words, PrintWriter out, PrintWriter err) {
      CommandLine line = NtioCommand.commandLine(out, err);
      NtioCommand inner = line.getCommand();
      inner.state = outer.stateDirectory();
      inner.lend(lent);
      try {
        return line.execute(words.toArray(String[]::new));
      } catch (UncheckedIOException e) {
        err.println("ntio: " + words.get(0) + ": " + e.getMessage());
        return ExitCodes.NT_FAILURE;
      } finally {
        out.flush();
        err.flush();
      }
    }
  }
}
