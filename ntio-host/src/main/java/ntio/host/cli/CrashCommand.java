package ntio.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ntio.api.BugCheckReport;
import ntio.api.CrashDump;
import ntio.kernel.CrashDumps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio crash}: the bug-check reports in the state directory. Reads the files directly, so it
 * works whether or not a kernel is running — as one reads dump files.
 */
@Command(name = "crash", mixinStandardHelpOptions = true,
    description = "Bug-check reports in the state directory.")
final class CrashCommand {

  @ParentCommand
  NtioCommand root;

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the crash reports.")
  int ls(@Option(names = "--json", description = "Print one JSON document.") boolean json) {
    List<CrashDump> reports = CrashDumps.list(root.stateDirectory());
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (CrashDump report : reports) {
        rows.add(summary(report));
      }
      Printer.json(root.out(), Printer.fields("reports", rows));
      return ExitCodes.SUCCESS;
    }
    if (reports.isEmpty()) {
      root.out().println("No crash reports in " + root.stateDirectory());
      return ExitCodes.SUCCESS;
    }
    List<List<String>> rows = new ArrayList<>();
    for (CrashDump report : reports) {
      rows.add(List.of(report.id(), String.valueOf(report.bugCheck().time()), report.stopLine(),
          report.bugCheck().driver()));
    }
    Printer.table(root.out(), List.of("Id", "Time", "Bug check", "Driver"), rows);
    return ExitCodes.SUCCESS;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One crash report in full.")
  int show(@Parameters(index = "0", paramLabel = "ID") String id,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    Optional<CrashDump> report;
    try {
      report = CrashDumps.load(root.stateDirectory(), id);
    } catch (java.io.UncheckedIOException e) {
      root.err().println("ntio: " + e.getCause().getMessage());
      return ExitCodes.NT_FAILURE;
    }
    if (report.isEmpty()) {
      root.err().println("ntio: no crash report " + id + " in " + root.stateDirectory());
      return ExitCodes.NT_FAILURE;
    }
    if (json) {
      Map<String, Object> doc = summary(report.get());
      doc.put("message", report.get().bugCheck().message());
      doc.put("stack", report.get().stack());
      Printer.json(root.out(), doc);
    } else {
      root.out().print(report.get().text());
    }
    return ExitCodes.SUCCESS;
  }

  private static Map<String, Object> summary(CrashDump report) {
    BugCheckReport b = report.bugCheck();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", report.id());
    row.put("time", String.valueOf(b.time()));
    row.put("code", report.codeHex());
    row.put("name", report.codeName().isEmpty() ? null : report.codeName());
    List<String> parameters = new ArrayList<>();
    for (long parameter : new long[] {b.parameter1(), b.parameter2(), b.parameter3(), b.parameter4()}) {
      parameters.add("0x" + Long.toHexString(parameter).toUpperCase(java.util.Locale.ROOT));
    }
    row.put("parameters", parameters);
    // A bug check that names no driver shows as null, as the report's JSON twin has it.
    row.put("driver", b.driver().isEmpty() ? null : b.driver());
    return row;
  }
}
