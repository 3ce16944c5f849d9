package ntio.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ntio} program, run as separate processes from the shaded {@code ntio.jar} the
 * build just made: a host, command-line clients, shells, each optionally as another Unix user.
 * Everything lives in one world-readable directory so that a client running as {@code nobody} can
 * read the jar and reach the socket.
 */
final class Ntio {

  /** How long any one command may take before the test calls it stuck. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Path home;
  private final Path jar;
  private final Path state;

  private Ntio(Path home, Path jar, Path state) {
    this.home = home;
    this.jar = jar;
    this.state = state;
  }

  /**
   * Copies {@code target/ntio.jar} into {@code directory} (made world-traversable, as the jar is
   * world-readable) and uses {@code directory/state} as the state directory.
   */
  static Ntio in(Path directory) throws IOException {
    Path built = Path.of(System.getProperty("ntio.jar", "target/ntio.jar")).toAbsolutePath();
    assertThat(built).as("the shaded jar the package phase builds").exists();
    openUp(directory);
    Path jar = directory.resolve("ntio.jar");
    Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    Path state = directory.resolve("state");
    Files.createDirectories(state);
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new Ntio(directory, jar, state);
  }

  /** Makes {@code directory} and its parents up to the root traversable by every user. */
  private static void openUp(Path directory) throws IOException {
    for (Path p = directory.toAbsolutePath(); p != null; p = p.getParent()) {
      var perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
        try {
          Files.setPosixFilePermissions(p, perms);
        } catch (IOException e) {
          // Not ours to change (a parent owned by someone else): the uid tests will skip.
        }
      }
    }
  }

  Path home() {
    return home;
  }

  Path state() {
    return state;
  }

  Path socket() {
    return state.resolve("ntio.sock");
  }

  /** The command line that runs {@code ntio ARGS} with this state directory. */
  List<String> command(List<String> prefix, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--state");
    command.add(state.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** What a finished command left. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code ntio ARGS} to the end, as this user. */
  Result run(String... args) {
    return runAs(List.of(), null, args);
  }

  /**
   * Runs {@code ntio ARGS} to the end with {@code prefix} before java (for example {@code setpriv
   * --reuid=65534 …}), feeding {@code stdin} when not null.
   */
  Result runAs(List<String> prefix, String stdin, String... args) {
    try {
      Process process = new ProcessBuilder(command(prefix, args)).directory(home.toFile()).start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      var out = readAsync(process.getInputStream());
      var err = readAsync(process.getErrorStream());
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("ntio " + String.join(" ", args) + " did not finish in " + COMMAND_TIMEOUT
            + "\n" + out.join() + "\n" + err.join());
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts {@code ntio ARGS} and leaves it running, its stdin open. */
  Running start(List<String> prefix, String... args) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command(prefix, args)).directory(home.toFile());
      return new Running(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code ntio host} and waits until its socket answers. */
  Running startHost(String... extra) {
    List<String> args = new ArrayList<>(List.of("host", "--foreground"));
    args.addAll(List.of(extra));
    Running host = start(List.of(), args.toArray(String[]::new));
    long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!host.process().isAlive()) {
        throw new AssertionError("the host exited with " + host.process().exitValue() + ":\n" + host.output());
      }
      if (Files.exists(socket()) && run("whoami").exitCode() == 0) {
        return host;
      }
      sleep(100);
    }
    host.process().destroyForcibly();
    throw new AssertionError("the host did not answer within " + COMMAND_TIMEOUT + ":\n" + host.output());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static java.util.concurrent.CompletableFuture<String> readAsync(java.io.InputStream in) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
  }

  /** A process left running: its output is collected as it comes. */
  static final class Running {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final java.io.Writer stdin;

    Running(Process process) {
      this.process = process;
      this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      pump(process.getInputStream());
      pump(process.getErrorStream());
    }

    private void pump(java.io.InputStream in) {
      Thread reader = new Thread(() -> {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = lines.readLine()) != null) {
            output.append(line).append('\n');
          }
        } catch (IOException e) {
          output.append("(stream closed: ").append(e.getMessage()).append(")\n");
        }
      }, "e2e-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    Process process() {
      return process;
    }

    /** Everything it printed so far, stdout and stderr interleaved by line. */
    String output() {
      return output.toString();
    }

    /** Sends one line to its stdin. */
    void send(String line) {
      try {
        stdin.write(line + "\n");
        stdin.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Closes its stdin. */
    void endInput() {
      try {
        stdin.close();
      } catch (IOException e) {
        // already gone
      }
    }

    /** Waits until its output contains {@code text}. */
    void awaitOutput(String text) {
      long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
      while (!output().contains(text)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("never printed '" + text + "':\n" + output());
        }
        if (!process.isAlive() && !output().contains(text)) {
          sleep(200); // let the readers drain
          if (!output().contains(text)) {
            throw new AssertionError("exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
          }
        }
        sleep(50);
      }
    }

    /** Waits for it to exit and returns the exit code. */
    int awaitExit() {
      try {
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("did not exit:\n" + output());
        }
        sleep(100);
        return process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
