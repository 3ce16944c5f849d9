package ntio.host.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A head start for a command that will talk to the daemon: the JDK's one-time set-up of Unix
 * domain sockets, done on a daemon thread while the main thread builds the command line.
 *
 * <p>The first Unix-domain {@link SocketChannel} of a JVM initialises the JDK's support for them,
 * which makes a {@code SecureRandom} and so loads and initialises the security providers: about a
 * tenth of a plain {@code ntio sc query}'s start, spent on one core while the other had nothing to
 * do (docs/performance.md, "Starting the command line"). Opening and closing an unconnected
 * channel here moves that work off the main thread; the command's own connect then finds it done
 * (or waits for it on the class's initialisation lock, never doing it twice). Nothing is sent and
 * nothing connects: a failure here is ignored, and the command's own connect reports its own.
 */
final class SocketSetUp {

  private SocketSetUp() {}

  /**
   * Starts the set-up when {@code args} name a command that may connect to a daemon: not the root
   * alone (help, version), which never connects, nor a command on an embedded kernel.
   */
  static void startFor(String[] args) {
    if (Subcommands.commandName(args) == null || List.of(args).contains("--embedded")) {
      return;
    }
    Thread thread = new Thread(SocketSetUp::openOne, "ntio-socket-set-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void openOne() {
    try (SocketChannel unconnected = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // Opened only for the JDK's one-time set-up; closed unconnected.
    } catch (IOException | UnsupportedOperationException e) {
      // Only a head start: the command's own connect meets and reports the same failure.
    }
  }
}
