package ntio.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;

/**
 * The launcher's training run for its class-data-sharing archive (AppCDS): run once under
 * {@code -XX:ArchiveClassesAtExit}, it loads the classes a host and its clients load, so the
 * archive holds them already parsed and verified for every later start of either.
 *
 * <p>It starts a real host on a temporary state directory, runs the commands a client runs most
 * ({@code sc query}, help, the version) through the real command line against that host's socket,
 * and stops the host. What it prints is of no use to anyone and goes nowhere.
 */
final class CdsTraining {

  private CdsTraining() {}

  /** Runs the training; exits 0 when every step ran, whatever the commands answered. */
  public static void main(String[] args) throws IOException {
    Path state = TemporaryDirectories.create("ntio-cds-");
    try {
      HostRuntime host = HostRuntime.start(HostOptions.of(state));
      try {
        String socket = host.socketPath().toString();
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Main.run(new String[] {"--socket", socket, "sc", "query"}, nowhere, nowhere);
        Main.run(new String[] {"--socket", socket, "sc", "query", "Training"}, nowhere, nowhere);
        Main.run(new String[] {"--socket", socket, "driverquery"}, nowhere, nowhere);
        Main.run(new String[] {"--version"}, nowhere, nowhere);
        Main.run(new String[] {"--help"}, nowhere, nowhere);
      } finally {
        host.shutdown();
      }
    } finally {
      TemporaryDirectories.delete(state);
    }
  }
}
