package ntio.host.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntio}: the root command and the options that say where the kernel is.
 *
 * <p>{@code --embedded} boots a kernel in this process on the state directory for the length of
 * the command. Without it, the command talks to the daemon on the state directory's socket (or
 * {@code --socket}); when none answers it fails with exit code 3 and says how to proceed. Either
 * way a command sees only the {@link Session}'s {@link ntio.api.NtApi}.
 */
@Command(
    name = "ntio",
    mixinStandardHelpOptions = true,
    versionProvider = NtioCommand.Version.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = "The Windows NT I/O manager's driver model on the JVM."
    // The subcommands are listed in Subcommands, which registers only those a command line needs.
)
final class NtioCommand {

  /** The socket's file name inside the state directory. */
  static final String SOCKET_FILE = "ntio.sock";

  @Option(names = "--state", paramLabel = "DIR",
      description = "State directory (registry hive, SystemRoot, crash reports). Default: $NTIO_STATE, else ./ntio-state.")
  Path state;

  @Option(names = "--socket", paramLabel = "PATH", description = "The daemon's socket. Default: <state>/ntio.sock.")
  Path socket;

  @Option(names = "--embedded", description = "Boot a kernel in this process on the state directory for this command.")
  boolean embedded;

  private PrintWriter out;
  private PrintWriter err;
  /** How {@code --embedded} opens its session: {@link Session#embedded}, unless a test says otherwise. */
  private Function<Path, Session> embeddedSessions = Session::embedded;

  /** A session lent by {@code ntio shell}, which every command of this line uses; null otherwise. */
  private Session lent;

  /** The session this line's command opened last, or null: asked after it whether its kernel halted. */
  private Session opened;

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, Session::embedded);
  }

  /**
   * The command line, with {@code --embedded} sessions opened by {@code embeddedSessions} (given
   * the state directory): how tests run several commands on one running kernel, or as a standard
   * user.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Function<Path, Session> embeddedSessions) {
    return commandLine(out, err, embeddedSessions, Subcommands::addAll);
  }

  /**
   * The command line for {@code args} alone: only the subcommand they name is registered (see
   * {@link Subcommands}), so a start reflects over one command's tree, not all of them.
   */
  static CommandLine commandLineFor(String[] args, PrintWriter out, PrintWriter err,
      Function<Path, Session> embeddedSessions) {
    return commandLine(out, err, embeddedSessions, line -> Subcommands.addFor(line, args));
  }

  private static CommandLine commandLine(PrintWriter out, PrintWriter err, Function<Path, Session> embeddedSessions,
      java.util.function.Consumer<CommandLine> subcommands) {
    NtioCommand root = root(out, err, embeddedSessions);
    CommandLine line = new CommandLine(root);
    // Before the settings below: picocli applies them to the subcommands registered at the time.
    subcommands.accept(line);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler((e, cmd, parse) -> {
      if (reportsUnreachable(e, err)) {
        return ExitCodes.UNREACHABLE;
      }
      throw e;
    });
    line.setExecutionStrategy(parsed -> root.afterCommand(new CommandLine.RunLast().execute(parsed)));
    return line;
  }

  /** A root with no option set yet, writing to {@code out} and {@code err}. */
  static NtioCommand root(PrintWriter out, PrintWriter err, Function<Path, Session> embeddedSessions) {
    NtioCommand root = new NtioCommand();
    root.out = out;
    root.err = err;
    root.embeddedSessions = embeddedSessions;
    return root;
  }

  /**
   * Whether {@code e}, thrown by a command, says that no working kernel is there: an unreachable
   * kernel, or a daemon that closed the connection (stopped, or rebooting its kernel after a bug
   * check). Then its message is printed on {@code err} and the command's exit code is {@link
   * ExitCodes#UNREACHABLE}; any other exception is a bug of the command, thrown on by the caller.
   */
  static boolean reportsUnreachable(Exception e, PrintWriter err) {
    if (e instanceof KernelUnreachableException || e instanceof ntio.api.KernelGoneException) {
      err.println("ntio: " + e.getMessage());
      return true;
    }
    return false;
  }

  /** The exit code of this line's command that ended with {@code code}, told of a halted kernel. */
  int afterCommand(int code) {
    return HaltLine.afterCommand(opened, lent != null, code, err);
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** The state directory: {@code --state}, else {@code $NTIO_STATE}, else {@code ./ntio-state}. */
  Path stateDirectory() {
    if (state != null) {
      return state;
    }
    String fromEnvironment = System.getenv("NTIO_STATE");
    return Path.of(fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "ntio-state");
  }

  /** Makes every command of this line use {@code session} (a borrowed one: closing it does nothing). */
  void lend(Session session) {
    this.lent = session;
  }

  /** A session with a kernel, as the options say where it is, or the one {@code ntio shell} lent. */
  Session session() {
    if (lent != null) {
      return lent;
    }
    opened = embedded ? embeddedSessions.apply(stateDirectory())
        : Session.connect(socket != null ? socket : stateDirectory().resolve(SOCKET_FILE));
    return opened;
  }

  /** Prints the project version and the commit the jar was built from ({@link BuildInfo}). */
  static final class Version implements CommandLine.IVersionProvider {
    /**
     * The lines, read once: picocli asks for them again for every subcommand that inherits the
     * root's attributes ({@code scope = INHERIT}), and reading the build's resource each time was a
     * measurable part of every command's start. One command line runs on one thread.
     */
    private String[] lines;

    @Override
    public String[] getVersion() {
      if (lines == null) {
        lines = new String[] {BuildInfo.current().describe(),
            "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
      }
      return lines.clone();
    }
  }

}
