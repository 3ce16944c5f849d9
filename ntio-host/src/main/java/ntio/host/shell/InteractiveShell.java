package ntio.host.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import ntio.hostfs.HostFiles;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The shell on a terminal: JLine line editing with the prompt {@code ntio> }, history kept in a
 * file across sessions, and Tab completion ({@link ShellSession#completer()}). Completions of
 * pending requests are printed above the prompt as they arrive.
 *
 * <p>Ctrl-C abandons the line being typed; Ctrl-D (end of input), {@code exit} or {@code quit} end
 * the shell.
 */
public final class InteractiveShell {

  /** The prompt. */
  public static final String PROMPT = "ntio> ";

  private InteractiveShell() {}

  /**
   * A parser for the shell's lines as JLine sees them (for completion and for continuing a line
   * whose quote is open): quotes as usual, but no escape characters, since NT names are full of
   * backslashes.
   */
  public static DefaultParser parser() {
    DefaultParser parser = new DefaultParser();
    parser.setEscapeChars(new char[0]);
    return parser;
  }

  /**
   * Runs {@code shell} on {@code terminal} until it ends.
   *
   * @param shell a session whose {@code out} writes to {@code terminal}
   * @param history the history file; created, with its directory, if missing
   * @return the exit code: {@code exit N}'s, else that of the last line
   */
  public static int run(ShellSession shell, Terminal terminal, Path history) {
    try {
      Path parent = history.toAbsolutePath().getParent();
      if (parent != null) {
        HostFiles.createPrivateDirectories(parent);
      }
      if (!Files.exists(history, LinkOption.NOFOLLOW_LINKS)) {
        // The history holds what was typed (key names, values): 0600, whatever the umask. The line
        // reader would create it with the umask's mode.
        HostFiles.createFile(history, HostFiles.PRIVATE_FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of the history file " + history, e);
    }
    LineReader reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("ntio")
        .parser(parser())
        .completer(shell.completer())
        .variable(LineReader.HISTORY_FILE, history)
        .option(LineReader.Option.CASE_INSENSITIVE, true)
        .option(LineReader.Option.AUTO_FRESH_LINE, true)
        .build();
    shell.onCompletion(() -> {
      StringWriter report = new StringWriter();
      PrintWriter writer = new PrintWriter(report);
      shell.reportCompletions(writer, writer);
      writer.flush();
      if (report.getBuffer().length() > 0) {
        reader.printAbove(report.toString().stripTrailing());
      }
    });
    int last = ShellSession.SUCCESS;
    try {
      while (!shell.exitRequested()) {
        shell.reportCompletions();
        String line;
        try {
          line = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        last = shell.execute(line);
      }
    } finally {
      shell.onCompletion(() -> {});
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        terminal.writer().println("ntio: cannot save the history to " + history + ": " + e.getMessage());
      }
    }
    Integer requested = shell.requestedExitCode();
    return requested != null ? requested : last;
  }
}
