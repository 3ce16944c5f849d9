package ntio.host.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code ntio} command line's entry point. */
public final class Main {

  private Main() {}

  /** Runs {@code ntio} and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs {@code ntio} with the given streams.
   *
   * @return the exit code: 0 when the NT status is a success, 1 when not, 2 for a usage error,
   *     3 when no kernel can be reached
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = NtioCommand.commandLine(out, err);
    try {
      return line.execute(args);
    } finally {
      // main exits right after: what a command printed without a newline must not be lost.
      out.flush();
      err.flush();
    }
  }
}
