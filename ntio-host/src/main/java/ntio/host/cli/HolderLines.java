package ntio.host.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntio.api.DriverHolders;
import ntio.api.Holder;
import ntio.api.NtApi;
import ntio.host.daemon.UnixAccounts;

/**
 * What {@code sc query} and {@code sc stop} print under a {@code STOP_PENDING} service: the
 * holders {@link NtApi#queryDriverHolders} lists, one line each ("what still holds my driver?"),
 * and the same as JSON fields. Kept out of {@link ScCommand} so that command only asks for them.
 */
final class HolderLines {

  /** The label of the first holder line; later lines are indented under its value. */
  static final String LABEL = "HELD_BY";

  private HolderLines() {}

  /**
   * The holders of the driver {@code service} started, as the JSON field {@code holders}: one map
   * per holder, or the query's status name when it failed.
   */
  static Object fields(NtApi nt, String service) {
    DriverHolders holders = nt.queryDriverHolders(service);
    if (!holders.status().isSuccess()) {
      return holders.status().toString();
    }
    UserNames names = new UserNames();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Holder h : holders.holders()) {
      rows.add(Printer.fields(
          "kind", h.kind().name(),
          "device", h.device(),
          "blocksUnload", h.blocksUnload(),
          "processId", h.processId() == 0 ? null : h.processId(),
          "processName", h.processName().isEmpty() ? null : h.processName(),
          "unixPid", h.unixPid().isKnown() ? h.unixPid().pid() : null,
          "unixPidTrust", h.unixPid().isKnown() ? h.unixPid().trust().name() : null,
          "user", h.processId() == 0 ? null : names.of(h.user(), h.unixUid()),
          "unixUid", h.unixUid() < 0 ? null : h.unixUid(),
          "handle", h.handle() == 0 ? null : hex(h.handle()),
          "detail", h.detail(),
          "line", line(h, names)));
    }
    return rows;
  }

  /**
   * Prints {@code holders} (what {@link #fields} made) as {@code HELD_BY} lines under a service's
   * block; nothing when there are none to print.
   */
  static void print(PrintWriter out, Object holders, String indent, int labelWidth) {
    if (holders instanceof String status) {
      out.println(String.format("%s%-" + labelWidth + "s: (cannot tell: %s)", indent, LABEL, status));
      return;
    }
    if (!(holders instanceof List<?> rows)) {
      return;
    }
    if (rows.isEmpty()) {
      out.println(String.format("%s%-" + labelWidth + "s: nothing now; the unload completes at the next check",
          indent, LABEL));
      return;
    }
    String first = String.format("%s%-" + labelWidth + "s: ", indent, LABEL);
    String next = " ".repeat(first.length());
    for (Object row : rows) {
      out.println((row == rows.get(0) ? first : next) + ((Map<?, ?>) row).get("line"));
    }
  }

  /** One holder as a sentence a reader acts on: who, what, on which device. */
  static String line(Holder h, UserNames names) {
    String on = h.device().isEmpty() ? "" : " on " + h.device();
    String text = switch (h.kind()) {
      case OPEN_HANDLE -> "handle " + hex(h.handle()) + " of " + process(h, names) + on;
      case OPEN_WITHOUT_HANDLE -> h.detail() + on;
      case ATTACHED_DEVICE -> h.detail() + " attached on top of " + h.device();
      case PENDING_IRP -> h.detail() + ", from " + process(h, names) + on;
      case FILE_SYSTEM -> h.device() + " registered as a file system";
      case WORK_ITEM, TIMER, SYSTEM_THREAD -> h.detail() + on;
    };
    return h.blocksUnload() ? text : text + " (runs the driver's code; does not block the unload)";
  }

  private static String process(Holder h, UserNames names) {
    if (h.processId() == 0) {
      return "another user's process";
    }
    return String.format(Locale.ROOT, "process %d (%s, %suser %s)", h.processId(), h.processName(),
        h.unixPid().isKnown() ? "Unix pid " + unixPid(h.unixPid()) + ", " : "", names.of(h.user(), h.unixUid()));
  }

  /** A Unix pid as listings print it: {@code 4321 (claimed)}, or {@code -} when none is known. */
  static String unixPid(ntio.api.UnixPid pid) {
    return pid.isKnown() ? pid.text() + " (" + pid.trust().name().toLowerCase(Locale.ROOT) + ")" : pid.text();
  }

  static String hex(int handle) {
    return "0x" + Integer.toHexString(handle).toUpperCase(Locale.ROOT);
  }

  /**
   * A process's user as a reader knows it: the login name and uid when the token's user is a Unix
   * user this machine names ({@code alice (uid 1000)}), else the token's name. The CLI runs on the
   * host's machine (a Unix socket connects no other), so the names are the host's.
   */
  static final class UserNames {
    private final UnixAccounts accounts = new UnixAccounts();
    private final Map<Long, String> known = new HashMap<>();

    String of(String tokenUser, long unixUid) {
      if (unixUid < 0 || unixUid > Integer.MAX_VALUE) {
        return tokenUser;
      }
      return known.computeIfAbsent(unixUid, uid -> accounts.userName((int) (long) uid)
          .map(name -> name + " (uid " + uid + ")").orElse("uid " + uid));
    }
  }
}
