package ntio.host.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ntio.api.IoResult;
import ntio.api.KernelGoneException;
import ntio.api.NtApi;
import ntio.api.PendingIo;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import org.jline.reader.Completer;
import picocli.CommandLine;

/**
 * One {@code ntio shell}: a single client process ({@link NtApi}) for the whole session, so that
 * handles opened by one line are there for the next, and the commands that run one line at a time.
 *
 * <p>A line is split into words by {@link LineTokenizer} and dispatched on its first word: the
 * shell's own commands ({@code open}, {@code read}, {@code write}, {@code ioctl}, {@code cancel},
 * {@code close}, {@code handles}, {@code wait}, {@code help}, {@code exit}), then the {@code ntio}
 * commands the command line lends it ({@link NtioCommands}), run against the same client. Anything
 * else is a usage error.
 *
 * <p>Reads, writes and device controls are overlapped: the shell waits a short while ({@link
 * #setPendingWindow}, 200 ms by default) and, if the request is still pending (a driver holds it),
 * prints {@code STATUS_PENDING (0x00000103) request N} and moves on. A request's completion is
 * printed once it arrives: results come back on a System worker (as an APC would), so the report
 * comes after the line during which it arrived, before the next line or prompt, at once above the
 * prompt on a terminal, or when {@code wait} is run; a script's end gives outstanding requests the
 * pending window to finish.
 *
 * <p>Exit codes, per line and for a script: 0 success, 1 an NT status that is not a success, 2 a
 * usage error, 3 the kernel went away. A script keeps going past a failure unless asked to stop,
 * and ends with the code of the last line that failed (0 if none did), or the one {@code exit N}
 * gives. A request that completes with a failure after it was reported pending prints its status
 * on stderr but does not change the exit code: the line that issued it succeeded in issuing it.
 *
 * <p>Threading: one thread (the shell's) calls {@link #execute}; completions may be reported from
 * any thread through {@link #reportCompletions(PrintWriter, PrintWriter)}.
 */
public final class ShellSession {

  /** The command succeeded. */
  public static final int SUCCESS = 0;
  /** An NT call failed. */
  public static final int NT_FAILURE = 1;
  /** The line was wrong. */
  public static final int USAGE = 2;
  /** The kernel cannot be reached any more. */
  public static final int UNREACHABLE = 3;

  /** How long a request may take before the shell reports it pending and moves on. */
  public static final Duration DEFAULT_PENDING_WINDOW = Duration.ofMillis(200);

  /** What a request was, for printing its result. */
  enum Kind { READ, WRITE, IOCTL }

  private final NtApi nt;
  private final PrintWriter out;
  private final PrintWriter err;
  private final NtioCommands commands;
  private final ShellHandles handles = new ShellHandles();
  private final PendingRequests pending = new PendingRequests();
  private final ShellCompleter completer;

  /** Called, on the completing thread, whenever a request reported pending completes. */
  private volatile Runnable completionListener = () -> {};

  private Duration pendingWindow = DEFAULT_PENDING_WINDOW;
  private boolean exitRequested;
  private Integer exitCode;

  /**
   * A shell on {@code nt}. The caller owns {@code nt}: the shell never closes it, and handles still
   * open when the session ends are closed by the client process's rundown when the caller closes it.
   *
   * @param commands the {@code ntio} commands to offer besides the shell's own; {@link NtioCommands#NONE} for none
   */
  public ShellSession(NtApi nt, PrintWriter out, PrintWriter err, NtioCommands commands) {
    this.nt = Objects.requireNonNull(nt, "nt");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.completer = new ShellCompleter(this);
  }

  /** How long a request may take before it is reported pending; 200 ms unless set. */
  public void setPendingWindow(Duration window) {
    this.pendingWindow = Objects.requireNonNull(window, "window");
  }

  /** Runs {@code listener} on the completing thread whenever a request reported pending completes. */
  public void onCompletion(Runnable listener) {
    this.completionListener = Objects.requireNonNull(listener, "listener");
  }

  /** Whether {@code exit} or {@code quit} was run, or the kernel went away. */
  public boolean exitRequested() {
    return exitRequested;
  }

  /** The code {@code exit N} asked for, or null. */
  public Integer requestedExitCode() {
    return exitCode;
  }

  /** Completion of command names, handle names and namespace paths, for a JLine reader. */
  public Completer completer() {
    return completer;
  }

  /**
   * Runs a script: one command a line, until the end of input or {@code exit}. Blank lines and
   * {@code #} comments are skipped; nothing is echoed.
   *
   * @param stopOnError stop at the first line that fails, as {@code set -e} would
   * @return {@code exit N}'s code if given, else the exit code of the last line that failed, else 0
   */
  public int run(BufferedReader script, boolean stopOnError) throws IOException {
    int result = SUCCESS;
    String line;
    while (!exitRequested && (line = script.readLine()) != null) {
      int code = execute(line);
      if (code != SUCCESS) {
        result = code;
        if (stopOnError) {
          break;
        }
      }
    }
    // What a script's last lines started gets the pending window to finish and be printed; what is
    // still pending after it is cancelled by the client's rundown when the caller closes it.
    try {
      pending.await(null, pendingWindow);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reportCompletions();
    return exitCode != null ? exitCode : result;
  }

  /**
   * Runs one line and prints what completed meanwhile.
   *
   * @return the line's exit code: 0 success (a blank line or a comment too), 1 an NT failure, 2 a
   *     usage error, 3 the kernel went away
   */
  public int execute(String line) {
    reportCompletions();
    int code;
    try {
      code = dispatch(LineTokenizer.tokenize(line));
    } catch (ShellSyntaxException e) {
      err.println("ntio: " + e.getMessage());
      code = USAGE;
    } catch (KernelGoneException e) {
      err.println("ntio: the kernel went away: " + e.getMessage());
      exitRequested = true;
      code = UNREACHABLE;
    }
    if (!exitRequested) {
      code = endIfHalted(code);
    }
    reportCompletions();
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Ends the session when its kernel halted or went away during the line: one line says why (the
   * command that got exit code 3 said it already), and every handle of it is dead.
   */
  private int endIfHalted(int code) {
    if (code == UNREACHABLE) {
      exitRequested = true;
      return code;
    }
    return nt.kernelHalt().map(halt -> {
      err.println("ntio: " + halt.line());
      exitRequested = true;
      return UNREACHABLE;
    }).orElse(code);
  }

  private int dispatch(List<String> words) {
    if (words.isEmpty()) {
      return SUCCESS;
    }
    String name = words.get(0);
    if (name.equals("exit") || name.equals("quit")) {
      return exit(words);
    }
    if (BuiltinCommands.NAMES.contains(name)) {
      return builtins().execute(words.toArray(String[]::new));
    }
    if (commands.names().contains(name)) {
      return commands.run(words, out, err);
    }
    err.println("ntio: unknown command '" + name + "'; 'help' lists the commands");
    return USAGE;
  }

  private int exit(List<String> words) {
    if (words.size() > 2) {
      err.println("ntio: usage: exit [CODE]");
      return USAGE;
    }
    if (words.size() == 2) {
      try {
        exitCode = Integer.parseInt(words.get(1));
      } catch (NumberFormatException e) {
        err.println("ntio: exit: not a number: " + words.get(1));
        return USAGE;
      }
    }
    exitRequested = true;
    return SUCCESS;
  }

  /** A fresh picocli line for the shell's own commands (fresh, so no option keeps a value between lines). */
  private CommandLine builtins() {
    CommandLine line = new CommandLine(new BuiltinCommands(this));
    line.setOut(out);
    line.setErr(err);
    // "@file" is text to write, not a file of arguments.
    line.setExpandAtFiles(false);
    line.setExecutionExceptionHandler((e, cmd, parse) -> {
      if (e instanceof ShellUsageException usage) {
        err.println("ntio: " + cmd.getCommandName() + ": " + usage.getMessage());
        return USAGE;
      }
      throw e;
    });
    return line;
  }

  // What the commands share ----------------------------------------------------------------------

  NtApi nt() {
    return nt;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  ShellHandles handles() {
    return handles;
  }

  PendingRequests pending() {
    return pending;
  }

  NtioCommands commands() {
    return commands;
  }

  Duration pendingWindow() {
    return pendingWindow;
  }

  /** Every command name the shell answers to: its own, then the {@code ntio} ones. */
  List<String> commandNames() {
    List<String> names = new ArrayList<>(BuiltinCommands.NAMES);
    names.add("exit");
    names.add("quit");
    commands.names().stream().sorted().forEach(names::add);
    return names;
  }

  /**
   * Waits up to the pending window for an overlapped request; prints its result if it completed,
   * else reports it pending and keeps it for a later report.
   *
   * @return the line's exit code
   */
  int issue(Kind kind, Handle handle, String description, PendingIo io) {
    IoResult result;
    try {
      result = io.completion().get(pendingWindow.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return reportPending(kind, handle, description, io);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reportPending(kind, handle, description, io);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
    if (!result.status().isSuccess()) {
      if (!refusedByHalt(result.status())) {
        err.println("ntio: " + description + ": " + result.status());
      }
      return NT_FAILURE;
    }
    printResult(out, kind, result);
    return SUCCESS;
  }

  /**
   * Whether a call failed only because the kernel halted: the session's one line about the halt
   * ({@link #execute}) says why, so the call's own status line would be a second, vaguer one.
   */
  boolean refusedByHalt(NtStatus status) {
    return status == NtStatus.STATUS_SYSTEM_SHUTDOWN && nt.kernelHalt().isPresent();
  }

  private int reportPending(Kind kind, Handle handle, String description, PendingIo io) {
    // Printed before the request is listed, so that its completion cannot be printed first.
    out.println(NtStatus.STATUS_PENDING + " request " + io.id());
    out.flush();
    pending.add(new PendingRequests.Request(io, handle, description, kind));
    io.completion().whenComplete((result, failure) -> completionListener.run());
    return SUCCESS;
  }

  /** Prints the requests that completed since the last report, on this session's streams. */
  public void reportCompletions() {
    reportCompletions(out, err);
  }

  /**
   * Prints the requests that completed since the last report: {@code request 7 (read e 5):
   * STATUS_SUCCESS (0x00000000)} and the data on {@code out}, or the failed status on {@code err}.
   * Each completion is printed once, by whichever caller takes it first.
   */
  public void reportCompletions(PrintWriter out, PrintWriter err) {
    for (PendingRequests.Request request : pending.takeCompleted()) {
      String what = "request " + request.id() + " (" + request.description() + ")";
      IoResult result;
      try {
        result = request.io().completion().get();
      } catch (ExecutionException e) {
        err.println("ntio: " + what + ": " + unwrap(e).getMessage());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (result.status().isSuccess()) {
        out.println(what + ": " + result.status());
        printResult(out, request.kind(), result);
      } else {
        err.println("ntio: " + what + ": " + result.status());
      }
    }
    out.flush();
    err.flush();
  }

  private static void printResult(PrintWriter out, Kind kind, IoResult result) {
    switch (kind) {
      case READ, IOCTL -> ShellData.print(out, result.data());
      case WRITE -> out.println(result.information() + (result.information() == 1 ? " byte" : " bytes") + " written");
    }
    out.flush();
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
  }
}
