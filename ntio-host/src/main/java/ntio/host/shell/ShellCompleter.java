package ntio.host.shell;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * What the shell offers on Tab: command names for the first word; handle names for the first
 * argument of a command that takes a handle; the values of {@code --access} and {@code --share};
 * the subcommands of an {@code ntio} command; and object names for any word that starts with a
 * backslash ({@link NamespaceCompleter}).
 *
 * <p>The reader's parser must treat a backslash as an ordinary character (JLine's {@code
 * DefaultParser} with no escape characters), or the words it hands over lose their backslashes.
 */
final class ShellCompleter implements Completer {

  private final ShellSession shell;
  private final NamespaceCompleter namespace;

  ShellCompleter(ShellSession shell) {
    this.shell = shell;
    this.namespace = new NamespaceCompleter(shell.nt());
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
    if (line.wordIndex() == 0) {
      shell.commandNames().forEach(name -> candidates.add(new Candidate(name)));
      return;
    }
    if (word.startsWith("\\")) {
      namespace.complete(word, candidates);
      return;
    }
    String command = line.words().get(0);
    String previous = line.words().get(line.wordIndex() - 1);
    if (previous.equals("--access")) {
      List.of("read", "write", "read,write", "all").forEach(value -> candidates.add(new Candidate(value)));
    } else if (previous.equals("--share")) {
      List.of("read", "write", "delete", "read,write", "read,write,delete", "none")
          .forEach(value -> candidates.add(new Candidate(value)));
    } else if (line.wordIndex() == 1 && BuiltinCommands.TAKE_A_HANDLE.contains(command)) {
      shell.handles().names().forEach(name -> candidates.add(new Candidate(name)));
      shell.handles().entries().forEach(entry ->
          candidates.add(new Candidate(entry.handle().toString(), entry.handle().toString(), null, entry.path(), null, null, true)));
    } else if (line.wordIndex() == 1 && command.equals("help")) {
      shell.commandNames().forEach(name -> candidates.add(new Candidate(name)));
    } else if (line.wordIndex() == 1) {
      shell.commands().subcommands(command).forEach(name -> candidates.add(new Candidate(name)));
    }
  }
}
