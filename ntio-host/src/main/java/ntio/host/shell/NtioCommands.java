package ntio.host.shell;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/**
 * The {@code ntio} command line's own commands ({@code reg}, {@code obj}, {@code whoami}, …), as
 * the shell runs them: against the shell's one client process, never a kernel of their own. The
 * command line supplies it ({@code ntio.host.cli.ShellCommand}); the shell only dispatches to it.
 */
public interface NtioCommands {

  /** No commands besides the shell's own. */
  NtioCommands NONE = new NtioCommands() {
    @Override
    public Set<String> names() {
      return Set.of();
    }

    @Override
    public int run(List<String> words, PrintWriter out, PrintWriter err) {
      throw new IllegalArgumentException("no command " + words.get(0));
    }
  };

  /** The command names, for dispatch, {@code help} and completion. */
  Set<String> names();

  /** The subcommands of {@code command} ({@code ls}, {@code info} of {@code obj}), for completion. */
  default List<String> subcommands(String command) {
    return List.of();
  }

  /**
   * Runs one command.
   *
   * @param words the command line, its first word one of {@link #names()}
   * @return its exit code: 0 success, 1 an NT failure, 2 a usage error, 3 no kernel
   */
  int run(List<String> words, PrintWriter out, PrintWriter err);
}
