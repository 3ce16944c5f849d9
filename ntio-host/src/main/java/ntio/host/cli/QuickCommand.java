package ntio.host.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The command lines run without picocli: {@code sc query [NAME] [--json]}, {@code sc start NAME}
 * and {@code sc stop NAME}, with the root's {@code --state}, {@code --socket} and {@code
 * --embedded} before {@code sc}. They are a driver writer's loop, and picocli builds its model of
 * a command by reflection at every start: about 45 % of the main thread of {@code sc query}
 * (docs/performance.md). Here the same {@link ScCommand} method runs on the same {@link
 * NtioCommand} root, with the same handling of an unreachable or halted kernel.
 *
 * <p>Only a line in exactly these forms is taken: an option anywhere else, an option twice, an
 * option's {@code =} form, {@code --}, help, a second name or anything unknown goes to picocli,
 * which parses it and writes its usage errors and help as it always did. {@code QuickCommandTest}
 * runs each accepted form both ways and compares what they print and return.
 */
final class QuickCommand {

  private static final java.util.Set<String> VERBS = java.util.Set.of("query", "start", "stop");

  private final NtioCommand root;
  private final String verb;
  private final String name;
  private final boolean json;

  private QuickCommand(NtioCommand root, String verb, String name, boolean json) {
    this.root = root;
    this.verb = verb;
    this.name = name;
    this.json = json;
  }

  /**
   * The quick command {@code args} form, or empty when picocli must parse them.
   *
   * @param embeddedSessions how {@code --embedded} opens its session, as for {@link NtioCommand}
   */
  static Optional<QuickCommand> of(String[] args, PrintWriter out, PrintWriter err,
      Function<Path, Session> embeddedSessions) {
    NtioCommand root = NtioCommand.root(out, err, embeddedSessions);
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      switch (args[i]) {
        case "--embedded" -> {
          if (root.embedded) {
            return Optional.empty();
          }
          root.embedded = true;
          i++;
        }
        case "--state", "--socket" -> {
          if (i + 1 >= args.length || args[i + 1].startsWith("-")
              || (args[i].equals("--state") ? root.state : root.socket) != null) {
            return Optional.empty();
          }
          Path path = Path.of(args[i + 1]);
          if (args[i].equals("--state")) {
            root.state = path;
          } else {
            root.socket = path;
          }
          i += 2;
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    if (args.length - i < 2 || !args[i].equals("sc") || !VERBS.contains(args[i + 1])) {
      return Optional.empty();
    }
    String verb = args[i + 1];
    String name = null;
    boolean json = false;
    for (String word : List.of(args).subList(i + 2, args.length)) {
      if (word.equals("--json") && !json && verb.equals("query")) {
        json = true;
      } else if (!word.startsWith("-") && name == null && !word.isEmpty()) {
        name = word;
      } else {
        return Optional.empty();
      }
    }
    if (name == null && !verb.equals("query")) {
      return Optional.empty(); // picocli says that NAME is missing
    }
    return Optional.of(new QuickCommand(root, verb, name, json));
  }

  /** Runs the command: its exit code, as picocli's run of the same line would give. */
  int run() {
    ScCommand sc = new ScCommand();
    sc.root = root;
    int code;
    try {
      code = switch (verb) {
        case "query" -> sc.query(name, json);
        case "start" -> sc.start(name);
        default -> sc.stop(name);
      };
    } catch (RuntimeException e) {
      if (NtioCommand.reportsUnreachable(e, root.err())) {
        return ExitCodes.UNREACHABLE;
      }
      throw e;
    }
    return root.afterCommand(code);
  }
}
