package ntio.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntio.api.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntio whoami}: this client's token, as {@code whoami /all} and {@code /priv} show it. */
@Command(name = "whoami", mixinStandardHelpOptions = true,
    description = "This client's token: user, groups, privileges (whoami).")
final class WhoamiCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand
  NtioCommand root;

  @Option(names = "--priv", description = "Only the privileges, with their state.")
  boolean privilegesOnly;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    try (Session session = root.session()) {
      TokenInfo token = session.nt().queryToken();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (!privilegesOnly) {
          doc.put("user", Printer.fields("name", token.user(), "sid", token.userSid()));
          List<Map<String, Object>> groups = new ArrayList<>();
          for (TokenInfo.Group group : token.groups()) {
            groups.add(Printer.fields("name", group.name(), "sid", group.sid(), "enabled", group.enabled()));
          }
          doc.put("groups", groups);
        }
        List<Map<String, Object>> privileges = new ArrayList<>();
        for (TokenInfo.Privilege p : token.privileges()) {
          privileges.add(Printer.fields("name", p.name(), "description", p.description(), "state", state(p)));
        }
        doc.put("privileges", privileges);
        Printer.json(root.out(), doc);
        return ExitCodes.SUCCESS;
      }
      if (!privilegesOnly) {
        root.out().println("USER INFORMATION");
        root.out().println();
        Printer.table(root.out(), List.of("User Name", "SID"), List.of(List.of(token.user(), token.userSid())));
        root.out().println();
        root.out().println("GROUP INFORMATION");
        root.out().println();
        List<List<String>> rows = new ArrayList<>();
        for (TokenInfo.Group group : token.groups()) {
          rows.add(List.of(group.name(), group.sid(),
              group.enabled() ? "Enabled group" : "Deny-only or disabled group"));
        }
        Printer.table(root.out(), List.of("Group Name", "SID", "Attributes"), rows);
        root.out().println();
      }
      root.out().println("PRIVILEGES INFORMATION");
      root.out().println();
      List<List<String>> rows = new ArrayList<>();
      for (TokenInfo.Privilege p : token.privileges()) {
        rows.add(List.of(p.name(), p.description(), state(p)));
      }
      Printer.table(root.out(), List.of("Privilege Name", "Description", "State"), rows);
      return ExitCodes.SUCCESS;
    }
  }

  private static String state(TokenInfo.Privilege privilege) {
    return privilege.enabled() ? "Enabled" : "Disabled";
  }
}
