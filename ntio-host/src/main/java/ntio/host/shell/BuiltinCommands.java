package ntio.host.shell;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ShareAccess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The shell's own commands, the ones that need handles kept open between lines. Each line gets a
 * fresh instance (through {@link ShellSession}), so picocli's parsed values never leak from one
 * line to the next; the state lives in the session.
 */
@Command(name = "ntio-shell", description = "The commands of ntio shell.")
final class BuiltinCommands {

  /** The shell's own command names, in the order {@code help} lists them ({@code exit} and {@code quit} aside). */
  static final List<String> NAMES = List.of("open", "read", "write", "ioctl", "cancel", "close", "handles", "wait", "help");

  /** The commands whose first argument is a handle. */
  static final List<String> TAKE_A_HANDLE = List.of("read", "write", "ioctl", "cancel", "close", "wait");

  private final ShellSession shell;

  BuiltinCommands(ShellSession shell) {
    this.shell = shell;
  }

  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "NtCreateFile on a device or its link; prints the handle value (0x4, 0x8, ...).")
  int open(
      @Parameters(paramLabel = "PATH", description = "For example \\Device\\Echo or \\??\\Echo.") String path,
      @Option(names = "--access", paramLabel = "read,write,all|HEX", defaultValue = "read,write",
          description = "Desired access. Default: read,write.") String access,
      @Option(names = "--share", paramLabel = "read,write,delete|none|HEX", defaultValue = "read,write",
          description = "Share access. Default: read,write.") String share,
      @Option(names = "--as", paramLabel = "NAME",
          description = "A name later commands accept in place of the handle value.") String name) {
    int desiredAccess = accessMask(access);
    int shareAccess = shareMask(share);
    if (name != null) {
      checkName(name);
    }
    OpenResult opened = shell.nt().createFile(desiredAccess, ObjectAttributes.of(path), shareAccess, 0);
    if (!opened.status().isSuccess()) {
      return failed("open " + path, opened.status());
    }
    shell.handles().add(opened.handle(), name, path, desiredAccess);
    shell.out().println(name == null ? opened.handle().toString() : opened.handle() + " " + name);
    return ShellSession.SUCCESS;
  }

  @Command(name = "read", mixinStandardHelpOptions = true,
      description = "NtReadFile, overlapped: prints the data, or STATUS_PENDING and the request's id if the driver holds it.")
  int read(
      @Parameters(index = "0", paramLabel = "H", description = "A handle name or value.") String handleWord,
      @Parameters(index = "1", paramLabel = "N", description = "How many bytes to read.") int length,
      @Option(names = "--offset", paramLabel = "BYTES", defaultValue = "0", description = "ByteOffset. Default: 0.") long offset) {
    Handle handle = resolve(handleWord);
    PendingIo io = shell.nt().readFileAsync(handle, length, offset);
    return shell.issue(ShellSession.Kind.READ, handle, "read " + handleWord + " " + length, io);
  }

  @Command(name = "write", mixinStandardHelpOptions = true,
      description = "NtWriteFile, overlapped: the text's UTF-8 bytes (words joined by one space), or --hex bytes.")
  int write(
      @Parameters(index = "0", paramLabel = "H", description = "A handle name or value.") String handleWord,
      @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT", description = "The text to write.") List<String> text,
      @Option(names = "--hex", paramLabel = "HEX", description = "The bytes to write, in hex (68656c6c6f).") String hex,
      @Option(names = "--offset", paramLabel = "BYTES", defaultValue = "0", description = "ByteOffset. Default: 0.") long offset) {
    Handle handle = resolve(handleWord);
    boolean hasText = text != null && !text.isEmpty();
    if (hasText == (hex != null)) {
      throw new ShellUsageException("give either TEXT or --hex HEX");
    }
    byte[] data = hex != null ? hexBytes(hex) : ShellData.utf8(String.join(" ", text));
    PendingIo io = shell.nt().writeFileAsync(handle, data, offset);
    return shell.issue(ShellSession.Kind.WRITE, handle, "write " + handleWord, io);
  }

  @Command(name = "ioctl", mixinStandardHelpOptions = true,
      description = "NtDeviceIoControlFile, overlapped: prints the output buffer.")
  int ioctl(
      @Parameters(index = "0", paramLabel = "H", description = "A handle name or value.") String handleWord,
      @Parameters(index = "1", paramLabel = "CODE", description = "The control code, hex (0x226000) or decimal.") String code,
      @Option(names = "--in", paramLabel = "HEX", description = "The input buffer, in hex.") String in,
      @Option(names = "--out", paramLabel = "N", defaultValue = "0", description = "The output buffer's length. Default: 0.") int outLength) {
    Handle handle = resolve(handleWord);
    int controlCode;
    try {
      controlCode = ShellData.parseCode(code);
    } catch (IllegalArgumentException e) {
      throw new ShellUsageException(e.getMessage());
    }
    byte[] input = in == null ? new byte[0] : hexBytes(in);
    PendingIo io = shell.nt().deviceIoControlFileAsync(handle, controlCode, input, outLength);
    return shell.issue(ShellSession.Kind.IOCTL, handle,
        "ioctl " + handleWord + " 0x" + Integer.toHexString(controlCode).toUpperCase(Locale.ROOT), io);
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "NtCancelIoFile: cancels this shell's requests on the handle; NtCancelIoFileEx with a REQUEST id.")
  int cancel(
      @Parameters(index = "0", paramLabel = "H", description = "A handle name or value.") String handleWord,
      @Parameters(index = "1", arity = "0..1", paramLabel = "REQUEST", description = "A request id that STATUS_PENDING printed.") Long request) {
    Handle handle = resolve(handleWord);
    NtStatus status = request == null ? shell.nt().cancelIoFile(handle) : shell.nt().cancelIoFileEx(handle, request);
    if (!status.isSuccess()) {
      return failed("cancel " + handleWord + (request == null ? "" : " " + request), status);
    }
    // The cancelled requests complete on the driver's time; give them the pending window so that
    // their completions are reported with this line rather than the next.
    try {
      if (request == null) {
        shell.pending().await(handle, shell.pendingWindow());
      } else {
        shell.pending().awaitRequest(request, shell.pendingWindow());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ShellSession.SUCCESS;
  }

  @Command(name = "close", mixinStandardHelpOptions = true, description = "NtClose; the handle's name is dropped.")
  int close(@Parameters(paramLabel = "H", description = "A handle name or value.") String handleWord) {
    Handle handle = resolve(handleWord);
    NtStatus status = shell.nt().close(handle);
    if (!status.isSuccess()) {
      return failed("close " + handleWord, status);
    }
    shell.handles().remove(handle);
    // Closing the last handle sends IRP_MJ_CLEANUP, which completes the requests still waiting on it.
    awaitQuietly(handle, shell.pendingWindow());
    return ShellSession.SUCCESS;
  }

  @Command(name = "handles", mixinStandardHelpOptions = true,
      description = "The handles this shell opened: value, name, path, granted access, pending requests.")
  int handles() {
    List<ShellHandles.Entry> entries = shell.handles().entries();
    if (entries.isEmpty()) {
      shell.out().println("(no open handles)");
      return ShellSession.SUCCESS;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Handle", "Name", "Path", "Access", "Pending"));
    for (ShellHandles.Entry entry : entries) {
      List<Long> ids = shell.pending().outstanding(entry.handle()).stream().map(PendingRequests.Request::id).toList();
      rows.add(List.of(entry.handle().toString(), entry.name() == null ? "" : entry.name(), entry.path(),
          String.format(Locale.ROOT, "0x%08X", entry.access()),
          ids.isEmpty() ? "" : ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")));
    }
    table(shell.out(), rows);
    return ShellSession.SUCCESS;
  }

  @Command(name = "wait", mixinStandardHelpOptions = true,
      description = "Waits for the pending requests (of one handle, or all) to complete, and prints them.")
  int await(
      @Parameters(index = "0", arity = "0..1", paramLabel = "H", description = "A handle name or value.") String handleWord,
      @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000",
          description = "How long to wait, in milliseconds. Default: 10000.") long timeoutMillis) {
    Handle handle = handleWord == null ? null : resolve(handleWord);
    boolean done;
    try {
      done = shell.pending().await(handle, Duration.ofMillis(timeoutMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done = false;
    }
    shell.reportCompletions();
    if (!done) {
      int left = shell.pending().outstanding(handle).size();
      return failed("wait: " + left + (left == 1 ? " request" : " requests") + " still pending after "
          + timeoutMillis + " ms", NtStatus.STATUS_TIMEOUT);
    }
    return ShellSession.SUCCESS;
  }

  @Command(name = "help", description = "Lists the commands; 'help COMMAND' shows one command's usage.")
  int help(@Parameters(arity = "0..1", paramLabel = "COMMAND") String command) {
    PrintWriter out = shell.out();
    if (command == null) {
      out.println("Handle commands (handles stay open between lines):");
      CommandLine self = new CommandLine(new BuiltinCommands(shell));
      for (String name : NAMES) {
        String[] description = self.getSubcommands().get(name).getCommandSpec().usageMessage().description();
        out.printf(Locale.ROOT, "  %-8s %s%n", name, description.length > 0 ? description[0] : "");
      }
      out.printf(Locale.ROOT, "  %-8s %s%n", "exit", "Ends the shell (also quit, or end of input); 'exit N' ends with code N.");
      if (!shell.commands().names().isEmpty()) {
        out.println("ntio commands, on this shell's kernel connection ('COMMAND --help' for each):");
        out.println("  " + String.join(" ", shell.commands().names().stream().sorted().toList()));
      }
      return ShellSession.SUCCESS;
    }
    if (NAMES.contains(command)) {
      CommandLine self = new CommandLine(new BuiltinCommands(shell));
      self.getSubcommands().get(command).usage(out);
      return ShellSession.SUCCESS;
    }
    if (shell.commands().names().contains(command)) {
      return shell.commands().run(List.of(command, "--help"), out, shell.err());
    }
    throw new ShellUsageException("no command " + command);
  }

  // Helpers --------------------------------------------------------------------------------------

  private Handle resolve(String word) {
    try {
      return shell.handles().resolve(word);
    } catch (IllegalArgumentException e) {
      throw new ShellUsageException(e.getMessage());
    }
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.startsWith("\\") || name.startsWith("-") || Character.isDigit(name.charAt(0))) {
      throw new ShellUsageException("a handle name must not be empty or start with a digit, \\ or -: " + name);
    }
    if (shell.handles().isBound(name)) {
      throw new ShellUsageException("the name " + name + " is already bound; close it first");
    }
  }

  private int failed(String what, NtStatus status) {
    if (!shell.refusedByHalt(status)) {
      shell.err().println("ntio: " + what + ": " + status);
    }
    return ShellSession.NT_FAILURE;
  }

  private void awaitQuietly(Handle handle, Duration window) {
    try {
      shell.pending().await(handle, window);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] hexBytes(String hex) {
    try {
      return ShellData.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ShellUsageException(e.getMessage());
    }
  }

  /** {@code read,write}, {@code all} or a hex mask, as a file's desired access. */
  static int accessMask(String words) {
    if (words.regionMatches(true, 0, "0x", 0, 2)) {
      return parseMask(words);
    }
    int mask = 0;
    for (String word : words.split(",")) {
      mask |= switch (word.strip().toLowerCase(Locale.ROOT)) {
        case "read" -> AccessMask.FILE_GENERIC_READ;
        case "write" -> AccessMask.FILE_GENERIC_WRITE;
        case "all" -> AccessMask.FILE_ALL_ACCESS;
        default -> throw new ShellUsageException("--access takes read, write, all or a hex mask, not " + word);
      };
    }
    return mask;
  }

  /** {@code read,write,delete}, {@code none} or a hex mask, as a file's share access. */
  static int shareMask(String words) {
    if (words.regionMatches(true, 0, "0x", 0, 2)) {
      return parseMask(words);
    }
    int mask = 0;
    for (String word : words.split(",")) {
      mask |= switch (word.strip().toLowerCase(Locale.ROOT)) {
        case "read" -> ShareAccess.FILE_SHARE_READ;
        case "write" -> ShareAccess.FILE_SHARE_WRITE;
        case "delete" -> ShareAccess.FILE_SHARE_DELETE;
        case "none" -> 0;
        default -> throw new ShellUsageException("--share takes read, write, delete, none or a hex mask, not " + word);
      };
    }
    return mask;
  }

  private static int parseMask(String hex) {
    try {
      return ShellData.parseCode(hex);
    } catch (IllegalArgumentException e) {
      throw new ShellUsageException(e.getMessage());
    }
  }

  /** Rows under the first row's headers, each column as wide as its widest cell. */
  private static void table(PrintWriter out, List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
