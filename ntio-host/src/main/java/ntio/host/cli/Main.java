package ntio.host.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import ntio.api.NtApi;
import picocli.CommandLine;

/** The {@code ntio} command line's entry point. */
public final class Main {

  private Main() {}

  /** Runs {@code ntio} and exits with its exit code. */
  public static void main(String[] args) {
    SocketSetUp.startFor(args);
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs {@code ntio} with the given streams.
   *
   * @return the exit code: 0 when the NT status is a success, 1 when not, 2 for a usage error,
   *     3 when no kernel can be reached
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    try {
      // The commonest commands run without picocli's model (QuickCommand); the rest are parsed.
      java.util.Optional<QuickCommand> quick = QuickCommand.of(args, out, err, Session::embedded);
      if (quick.isPresent()) {
        return quick.get().run();
      }
      return NtioCommand.commandLineFor(args, out, err, Session::embedded).execute(args);
    } finally {
      // main exits right after: what a command printed without a newline must not be lost.
      out.flush();
      err.flush();
    }
  }

  /**
   * Runs {@code ntio} as {@code client}, a client process of a kernel that is already running in
   * this JVM, as a command sent to the daemon runs as the connection's process; the client ends
   * (its process is run down) when the command does. No kernel is booted and no socket is used:
   * what embeds the command line in a program that owns a kernel, and how the scale benchmarks
   * time {@code sc query} through the real command.
   *
   * @param args the command line after {@code ntio}, without {@code --embedded}, {@code --state}
   *     or {@code --socket}, which say where a kernel is and mean nothing here
   * @return the exit code, as {@link #run(String[], PrintWriter, PrintWriter)}
   */
  public static int run(NtApi client, String[] args, PrintWriter out, PrintWriter err) {
    // --embedded makes the command ask the session factory, which hands it this client.
    List<String> all = new ArrayList<>(args.length + 1);
    all.add("--embedded");
    all.addAll(List.of(args));
    CommandLine line = NtioCommand.commandLineFor(args, out, err, ignoredState -> Session.onClient(client));
    try {
      return line.execute(all.toArray(String[]::new));
    } finally {
      out.flush();
      err.flush();
    }
  }
}
