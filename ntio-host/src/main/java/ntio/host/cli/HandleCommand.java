package ntio.host.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntio.api.HandleEntry;
import ntio.api.SystemResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio handle}: open handles by process, as Sysinternals' {@code handle.exe} lists them —
 * process, pid, Unix pid, user, handle value, object type and name. The process ids are the
 * kernel's (what the host log names a client by when it connects), next to the client's Unix pid as
 * the host checked it when the client connected; an administrator sees every process, anyone else
 * their own user's.
 */
@Command(name = "handle", mixinStandardHelpOptions = true,
    description = {"Open handles by process: process, pid, Unix pid, user, handle, type, name"
            + " (handle.exe).",
        "NAME keeps the handles whose object name contains it (without regard to case);"
            + " a standard user sees only their own processes."})
final class HandleCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand
  NtioCommand root;

  @Option(names = {"-p", "--process"}, paramLabel = "PID",
      description = "Only this process: its kernel process id or its Unix pid, or the start of its name"
          + " (as handle.exe -p).")
  String process;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
      description = "Only handles whose object name contains NAME.")
  String name;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    try (Session session = root.session()) {
      SystemResult<HandleEntry> handles = session.nt().queryHandles();
      if (!handles.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot list the handles", handles.status());
      }
      HolderLines.UserNames users = new HolderLines.UserNames();
      List<Map<String, Object>> rows = new ArrayList<>();
      List<String> unixPids = new ArrayList<>();
      for (HandleEntry handle : handles.rows()) {
        if (selected(handle)) {
          unixPids.add(HolderLines.unixPid(handle.unixPid()));
          rows.add(Printer.fields(
              "process", handle.processName(),
              "pid", handle.processId(),
              "unixPid", handle.unixPid().isKnown() ? handle.unixPid().pid() : null,
              "unixPidTrust", handle.unixPid().isKnown() ? handle.unixPid().trust().name() : null,
              "user", users.of(handle.user(), handle.unixUid()),
              "handle", HolderLines.hex(handle.handle()),
              "type", handle.objectType(),
              "name", handle.objectName(),
              "grantedAccess", String.format(Locale.ROOT, "0x%08X", handle.grantedAccess())));
        }
      }
      if (json) {
        Printer.json(root.out(), Printer.fields("handles", rows));
      } else if (rows.isEmpty()) {
        root.out().println("No matching handles found.");
      } else {
        List<List<String>> table = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          Map<String, Object> row = rows.get(i);
          table.add(List.of(String.valueOf(row.get("process")), String.valueOf(row.get("pid")), unixPids.get(i),
              String.valueOf(row.get("user")), String.valueOf(row.get("handle")), String.valueOf(row.get("type")),
              String.valueOf(row.get("name"))));
        }
        Printer.table(root.out(), List.of("Process", "PID", "Unix PID", "User", "Handle", "Type", "Name"), table);
      }
      return ExitCodes.SUCCESS;
    }
  }

  private boolean selected(HandleEntry handle) {
    if (process != null) {
      String digits = process.replaceFirst("^0+(?=.)", "");
      boolean byId = process.chars().allMatch(Character::isDigit) && !process.isEmpty()
          && (String.valueOf(handle.processId()).equals(digits)
              || handle.unixPid().isKnown() && String.valueOf(handle.unixPid().pid()).equals(digits));
      boolean byName = handle.processName().toLowerCase(Locale.ROOT).startsWith(process.toLowerCase(Locale.ROOT));
      if (!byId && !byName) {
        return false;
      }
    }
    return name == null || handle.objectName().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT));
  }
}
