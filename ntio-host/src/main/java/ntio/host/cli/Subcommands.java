package ntio.host.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ntio} command's subcommands, and which of them a command line needs.
 *
 * <p>picocli reflects over a command's whole tree when it is registered: its options, its
 * subcommands', their converters. For all of ntio's commands that was 0.7 s of every start, most
 * of a plain {@code ntio sc query}; a command line registers only the subcommand its arguments
 * name, and every one only when they name none it knows (help, a usage error), so picocli's
 * answers stay the same.
 */
final class Subcommands {

  private Subcommands() {}

  /** Every subcommand of {@code ntio}, in the order its help lists them. Add a new one here. */
  static final List<Class<?>> ALL = List.of(
      DemoCommand.class,
      ObjCommand.class,
      RegCommand.class,
      ScCommand.class,
      DriverqueryCommand.class,
      HandleCommand.class,
      DevconCommand.class,
      VerifierCommand.class,
      BcdeditCommand.class,
      CertutilCommand.class,
      WhoamiCommand.class,
      PoolmonCommand.class,
      CrashCommand.class,
      HostCommand.class,
      ShellCommand.class);

  /** The root options that take a value in the next word ({@code --state DIR}). */
  private static final List<String> ROOT_OPTIONS_WITH_VALUES = List.of("--state", "--socket");

  /** Registers every subcommand with {@code root}. */
  static void addAll(CommandLine root) {
    ALL.forEach(root::addSubcommand);
  }

  /**
   * Registers with {@code root} the subcommand {@code args} name, or every one when they name
   * none that exists (no command, {@code --help}, a misspelt name: picocli then answers as it
   * would with all of them).
   */
  static void addFor(CommandLine root, String[] args) {
    String name = commandName(args);
    for (Class<?> command : ALL) {
      if (named(command, name)) {
        root.addSubcommand(command);
        return;
      }
    }
    addAll(root);
  }

  /** The first word of {@code args} that is neither a root option nor its value; null if none. */
  static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String word = args[i];
      if (ROOT_OPTIONS_WITH_VALUES.contains(word)) {
        i++;
      } else if (!word.startsWith("-")) {
        return word;
      }
    }
    return null;
  }

  private static boolean named(Class<?> command, String name) {
    if (name == null) {
      return false;
    }
    Command annotation = command.getAnnotation(Command.class);
    return annotation.name().equals(name) || List.of(annotation.aliases()).contains(name);
  }
}
