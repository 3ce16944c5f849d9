package ntio.host.cli;

import java.lang.reflect.Method;
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
 *
 * <p>The same holds one level down for a command whose subcommands are its methods and that says
 * {@code addMethodSubcommands = false} ({@code sc}, {@code reg}, {@code obj}): the word after the
 * command's name picks the one method registered, and a word that names none of them registers
 * them all, in picocli's order. Reflecting over {@code sc}'s five methods, their parameters'
 * annotations and their help options was a third of {@code ntio sc query}'s start once picocli
 * itself came from the AppCDS archive.
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
      ShellCommand.class,
      ToasterCommand.class);

  /** The root options that take a value in the next word ({@code --state DIR}). */
  private static final List<String> ROOT_OPTIONS_WITH_VALUES = List.of("--state", "--socket");

  /** Registers every subcommand with {@code root}, each with all its method subcommands. */
  static void addAll(CommandLine root) {
    ALL.forEach(command -> root.addSubcommand(lineFor(command, null)));
  }

  /**
   * Registers with {@code root} the subcommand {@code args} name, or every one when they name
   * none that exists (no command, {@code --help}, a misspelt name: picocli then answers as it
   * would with all of them).
   */
  static void addFor(CommandLine root, String[] args) {
    String name = commandName(args);
    for (Class<?> command : ALL) {
      if (named(command.getAnnotation(Command.class), name)) {
        root.addSubcommand(lineFor(command, wordAfter(args, name)));
        return;
      }
    }
    addAll(root);
  }

  /**
   * {@code command}'s command line. When it adds its method subcommands itself (picocli's
   * default), that is all; when it says {@code addMethodSubcommands = false}, the method
   * subcommand {@code word} names is added, or every one when it names none (null included).
   */
  static CommandLine lineFor(Class<?> command, String word) {
    CommandLine line = new CommandLine(command);
    if (!command.getAnnotation(Command.class).addMethodSubcommands()) {
      List<Method> methods = CommandLine.getCommandMethods(command, null);
      List<Method> named = methods.stream().filter(method -> named(method.getAnnotation(Command.class), word)).toList();
      for (Method method : named.isEmpty() ? methods : named) {
        line.addSubcommand(new CommandLine(method));
      }
    }
    return line;
  }

  /** The word right after the first {@code name} in {@code args}, or null. */
  static String wordAfter(String[] args, String name) {
    int at = List.of(args).indexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : null;
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

  private static boolean named(Command annotation, String name) {
    if (name == null) {
      return false;
    }
    return annotation.name().equals(name) || List.of(annotation.aliases()).contains(name);
  }
}
