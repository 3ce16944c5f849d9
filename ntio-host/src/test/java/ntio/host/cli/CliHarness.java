package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.security.Sid;

/** Runs {@code ntio} in this JVM as a user would, and makes real crash reports to look at. */
final class CliHarness {

  private CliHarness() {}

  /** What one {@code ntio} invocation left: its exit code and what it printed on each stream. */
  record Result(int exitCode, String out, String err) {

    /** The lines of stdout with every run of blanks made one space, as a reader compares columns. */
    List<String> outLines() {
      return out.lines().map(line -> line.strip().replaceAll("\\s+", " ")).toList();
    }

    /** The lines of stderr. */
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** Runs {@code ntio ARGS} with fresh writers, as {@link Main#run} is called by {@code main}. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(exitCode, out.toString(), err.toString());
  }

  /** Runs {@code ntio --socket SOCKET ARGS}: a client of the host serving that socket. */
  static Result overSocket(Path socket, String... args) {
    List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** Runs {@code ntio --state STATE --embedded ARGS}: an embedded kernel booted for this one command. */
  static Result embedded(Path state, String... args) {
    List<String> all = new ArrayList<>(List.of("--state", state.toString(), "--embedded"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /**
   * Runs {@code ntio --state STATE --embedded ARGS} with its session opened by {@code sessions}
   * instead of a kernel booted for the command.
   */
  static Result embedded(Path state, Function<Path, Session> sessions, String... args) {
    List<String> all = new ArrayList<>(List.of("--state", state.toString(), "--embedded"));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exitCode = NtioCommand.commandLine(outWriter, errWriter, sessions).execute(all.toArray(String[]::new));
    outWriter.flush();
    errWriter.flush();
    return new Result(exitCode, out.toString(), err.toString());
  }

  /**
   * A kernel that stays up across commands, as the daemon's does: each command is a new client
   * process on it, holding an administrator's token ({@link #admin}) or a standard user's
   * ({@link #user}). What shows a driver still running after {@code sc start} returns.
   */
  static final class RunningKernel implements AutoCloseable {
    private final Path state;
    private final Kernel kernel;

    RunningKernel(Path state) {
      this.state = state;
      this.kernel = Kernel.boot(KernelConfig.of(state));
    }

    Kernel kernel() {
      return kernel;
    }

    /** Runs {@code ntio ARGS} as an administrator's client process. */
    Result admin(String... args) {
      return embedded(state, ignored -> Session.onClient(
          new LocalNt(kernel, kernel.administratorSession("ntio", Sid.unixUser(Session.currentUid())))), args);
    }

    /** Runs {@code ntio ARGS} as a standard user's client process. */
    Result user(String... args) {
      return embedded(state, ignored -> Session.onClient(
          new LocalNt(kernel, kernel.userSession("ntio", Sid.unixUser(4242)))), args);
    }

    /** Another client process, for holding handles while commands run. */
    LocalNt client() {
      return new LocalNt(kernel, kernel.administratorSession("holder", Sid.unixUser(1000)));
    }

    /** Waits until no loaded driver is named {@code driverName} and its image is unmapped. */
    void awaitDriverGone(String driverName, String imageName) {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        boolean named = kernel.io().drivers().stream().anyMatch(d -> d.name().equalsIgnoreCase(driverName));
        boolean mapped = kernel.io().loader().loadedImages().stream()
            .anyMatch(image -> image.imageName().equalsIgnoreCase(imageName));
        if (!named && !mapped) {
          return;
        }
        Thread.onSpinWait();
      }
      throw new AssertionError(driverName + " still loaded after 10 s");
    }

    @Override
    public void close() {
      kernel.shutdown();
    }
  }

  /** A sample driver image the host carries, as a file a user would name with {@code --image}. */
  static Path sampleImage(String name) {
    try {
      return Path.of(CliHarness.class.getResource("/ntio/drivers/" + name + ".jar").toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no sample image " + name + ".jar in target/classes: run mvn package", e);
    }
  }

  /** Runs {@code ntio --state STATE ARGS}, with no kernel. */
  static Result offline(Path state, String... args) {
    List<String> all = new ArrayList<>(List.of("--state", state.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /**
   * Boots a kernel on {@code state}, allocates 64 bytes of non-paged pool tagged {@code Leak},
   * frees it and reads it again: a real 0x50 bug check with its crash report. Returns the address
   * that was touched (the bug check's first parameter).
   */
  static long useAfterFree(Path state) {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      AllocationResult block =
          kernel.pool().allocate(PoolType.NON_PAGED, 64, PoolTag.of("Leak"), PoolOwner.KERNEL);
      assertThat(block.status().isSuccess()).as("allocation status %s", block.status()).isTrue();
      kernel.pool().free(block.allocation(), PoolTag.of("Leak"));
      try {
        block.allocation().getByte(0);
      } catch (BugCheckException expected) {
        return expected.bugCheck().parameter1();
      }
      throw new AssertionError("reading freed pool did not bug check");
    }
  }

  /** The ids of the crash reports in {@code state}, from the files the kernel wrote. */
  static List<String> crashIds(Path state) {
    Path crash = state.resolve("crash");
    if (!Files.isDirectory(crash)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(crash)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .map(name -> name.substring(0, name.length() - ".json".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
