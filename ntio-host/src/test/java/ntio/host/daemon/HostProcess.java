package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code ntio host} process on a state directory, with its log in a file, and real {@code
 * ntio} CLI processes run against it: for tests of what crosses process boundaries. Closing it
 * kills the host.
 */
final class HostProcess implements AutoCloseable {

  private static final long LOG_WAIT_SECONDS = 60;

  private final Process host;
  private final Path log;
  private final Path socket;
  private final List<String> jvmOptions;

  private HostProcess(Process host, Path log, Path socket, List<String> jvmOptions) {
    this.host = host;
    this.log = log;
    this.socket = socket;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Starts {@code ntio host --state STATE} with {@code jvmOptions} (system properties such as a
   * logger's level), its output to {@code log}, and waits until it serves.
   */
  static HostProcess start(Path state, Path log, String... jvmOptions) throws Exception {
    List<String> options = List.of(jvmOptions);
    Process process = new ProcessBuilder(command(options, "host", "--state", state.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    HostProcess host = new HostProcess(process, log, state.resolve(HostOptions.SOCKET_FILE), options);
    host.awaitLog("ntio host serving");
    return host;
  }

  /** The host's socket. */
  Path socket() {
    return socket;
  }

  /** The host's log so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Waits until the log contains {@code text}; fails if the host exits or a minute passes. */
  void awaitLog(String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOG_WAIT_SECONDS);
    while (!log().contains(text)) {
      if (!host.isAlive()) {
        fail("the host exited with " + host.exitValue() + ":\n" + log());
      }
      if (System.nanoTime() > deadline) {
        fail("no \"" + text + "\" after " + LOG_WAIT_SECONDS + " s:\n" + log());
      }
      Thread.sleep(50);
    }
  }

  /** Runs {@code ntio --socket SOCKET ARGS} as a process of its own; its output, once it exited 0. */
  String cli(String... args) throws Exception {
    List<String> cliArgs = new ArrayList<>(List.of("--socket", socket.toString()));
    cliArgs.addAll(List.of(args));
    Process process = new ProcessBuilder(command(jvmOptions, cliArgs.toArray(String[]::new)))
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(LOG_WAIT_SECONDS, TimeUnit.SECONDS)).as("ntio %s ended", cliArgs).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  private static List<String> command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        "ntio.host.cli.Main"));
    command.addAll(List.of(args));
    return command;
  }

  @Override
  public void close() {
    host.destroyForcibly();
  }
}
