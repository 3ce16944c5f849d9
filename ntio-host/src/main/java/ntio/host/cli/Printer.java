package ntio.host.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntio.ddk.NtStatus;

/** How commands print: aligned tables, JSON documents, and failed statuses. */
final class Printer {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Printer() {}

  /** Prints rows under headers, each column as wide as its widest cell. */
  static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i) == null ? 0 : row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i) == null ? "" : row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /**
   * A JSON object with its fields in the order given (unlike {@code Map.of}), so that output is
   * the same from run to run.
   *
   * @param keysAndValues key, value, key, value, …
   */
  static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return fields;
  }

  /** Prints one JSON document. */
  static void json(PrintWriter out, Object document) {
    try {
      out.println(JSON.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON for " + document.getClass(), e);
    }
  }

  /**
   * Prints a failed NT call on stderr, as {@code ntio: what: STATUS_NAME (0xC0000061)}, and
   * returns the exit code for it.
   */
  static int failed(PrintWriter err, String what, NtStatus status) {
    err.println("ntio: " + what + ": " + status);
    return ExitCodes.NT_FAILURE;
  }

  /**
   * Prints a driver load's failure: the status line, then its detail (which cause, what to do)
   * indented on the next, when there is one.
   */
  static int failed(PrintWriter err, String what, ntio.api.DriverLoadResult result) {
    failed(err, what, result.status());
    if (!result.detail().isEmpty()) {
      err.println("  " + result.detail());
    }
    return ExitCodes.NT_FAILURE;
  }
}
