package ntio.host.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ntio.api.KeyCreateResult;
import ntio.api.KeyNameResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.RegFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ntio reg}: keys and values, as reg.exe reads and writes them. */
@Command(name = "reg", mixinStandardHelpOptions = true,
    addMethodSubcommands = false, // Subcommands adds the method a command line names
    description = "Query and change the registry (reg.exe).")
final class RegCommand {

  @ParentCommand
  NtioCommand root;

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "A key's values and subkeys.")
  int query(
      @Parameters(index = "0", paramLabel = "KEY", description = "For example HKLM\\SYSTEM\\CurrentControlSet.") String key,
      @Option(names = "--value", paramLabel = "NAME", description = "Only this value.") String value,
      @Option(names = "--recurse", description = "Every key below too.") boolean recurse,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    Optional<String> nativeName = RegistryPaths.toNative(key);
    if (nativeName.isEmpty()) {
      return Printer.failed(root.err(), "unknown root key in " + key, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    try (Session session = root.session()) {
      Walker walker = new Walker(session.nt());
      Map<String, Object> tree = new LinkedHashMap<>();
      NtStatus status = walker.read(nativeName.get(), RegistryPaths.display(key), value, recurse, tree);
      if (!status.isSuccess()) {
        String what = walker.missingValue != null ? "cannot read value " + walker.missingValue + " of " + key : "cannot read " + key;
        return Printer.failed(root.err(), what, status);
      }
      if (json) {
        Printer.json(root.out(), tree);
      } else {
        printKey(tree, value != null, recurse);
      }
      return ExitCodes.SUCCESS;
    }
  }

  @SuppressWarnings("unchecked")
  private void printKey(Map<String, Object> key, boolean onlyValue, boolean recurse) {
    root.out().println(key.get("key"));
    for (Map<String, Object> value : (List<Map<String, Object>>) key.get("values")) {
      root.out().println("    " + value.get("name") + "    " + value.get("type") + "    " + value.get("data"));
    }
    root.out().println();
    if (onlyValue) {
      return;
    }
    for (Object subkey : (List<Object>) key.get("subkeys")) {
      if (recurse) {
        printKey((Map<String, Object>) subkey, false, true);
      } else {
        root.out().println(subkey);
      }
    }
  }

  /** Reads keys through the system services, as reg.exe does through the registry API. */
  private static final class Walker {
    private final NtApi nt;
    private String missingValue;

    Walker(NtApi nt) {
      this.nt = nt;
    }

    NtStatus read(String nativeName, String displayName, String onlyValue, boolean recurse, Map<String, Object> into) {
      OpenResult opened = nt.openKey(AccessMask.KEY_READ, ObjectAttributes.of(nativeName));
      if (!opened.status().isSuccess()) {
        return opened.status();
      }
      try {
        into.put("key", displayName);
        List<Map<String, Object>> values = new ArrayList<>();
        if (onlyValue != null) {
          String name = onlyValue.equals("(Default)") ? "" : onlyValue;
          ValueResult found = nt.queryValueKey(opened.handle(), UnicodeString.of(name));
          if (!found.status().isSuccess()) {
            missingValue = onlyValue;
            return found.status();
          }
          values.add(describe(found.value()));
        } else {
          for (int i = 0; ; i++) {
            ValueResult next = nt.enumerateValueKey(opened.handle(), i);
            if (next.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
              break;
            }
            if (!next.status().isSuccess()) {
              return next.status();
            }
            values.add(describe(next.value()));
          }
        }
        into.put("values", values);
        List<Object> subkeys = new ArrayList<>();
        if (onlyValue == null) {
          for (int i = 0; ; i++) {
            KeyNameResult next = nt.enumerateKey(opened.handle(), i);
            if (next.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
              break;
            }
            if (!next.status().isSuccess()) {
              return next.status();
            }
            String childDisplay = displayName + "\\" + next.name();
            if (recurse) {
              Map<String, Object> child = new LinkedHashMap<>();
              NtStatus status = read(nativeName + "\\" + next.name(), childDisplay, null, true, child);
              if (!status.isSuccess()) {
                return status;
              }
              subkeys.add(child);
            } else {
              subkeys.add(childDisplay);
            }
          }
        }
        into.put("subkeys", subkeys);
        return NtStatus.STATUS_SUCCESS;
      } finally {
        nt.close(opened.handle());
      }
    }
  }

  static Map<String, Object> describe(RegValue value) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", value.name().isEmpty() ? "(Default)" : value.name());
    row.put("type", RegType.name(value.type()));
    row.put("data", format(value));
    return row;
  }

  /** The data as reg.exe prints it. */
  static String format(RegValue value) {
    return switch (value.type()) {
      case RegType.REG_SZ -> value.stringValue().orElseGet(() -> hex(value.data()));
      case RegType.REG_EXPAND_SZ -> value.expandStringValue().orElseGet(() -> hex(value.data()));
      case RegType.REG_LINK -> value.linkTarget().orElseGet(() -> hex(value.data()));
      case RegType.REG_MULTI_SZ -> value.multiStringValue().map(list -> String.join("\\0", list))
          .orElseGet(() -> hex(value.data()));
      case RegType.REG_DWORD -> value.dwordValue().stream()
          .mapToObj(v -> "0x" + Integer.toHexString(v)).findFirst().orElseGet(() -> hex(value.data()));
      case RegType.REG_QWORD -> value.qwordValue().stream()
          .mapToObj(v -> "0x" + Long.toHexString(v)).findFirst().orElseGet(() -> hex(value.data()));
      default -> hex(value.data());
    };
  }

  private static String hex(byte[] data) {
    return HexFormat.of().withUpperCase().formatHex(data);
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Create a key, and set a value in it when --value is given.")
  int add(
      @Parameters(index = "0", paramLabel = "KEY") String key,
      @Option(names = "--value", paramLabel = "NAME", description = "The value to set; (Default) or \"\" for the default value.") String value,
      @Option(names = "--type", paramLabel = "TYPE", defaultValue = "REG_SZ",
          description = "REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_QWORD, REG_MULTI_SZ (\\0 separates strings), REG_BINARY (hex), REG_NONE. Default: REG_SZ.") String type,
      @Option(names = "--data", paramLabel = "DATA", description = "The data, as reg.exe takes it. Default: empty.") String data,
      @Option(names = "--volatile", description = "Create the key volatile: it is gone at the next boot.") boolean isVolatile) {
    Optional<String> nativeName = RegistryPaths.toNative(key);
    if (nativeName.isEmpty()) {
      return Printer.failed(root.err(), "unknown root key in " + key, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    if (value == null && data != null) {
      root.err().println("ntio: --data needs --value NAME (use --value \"(Default)\" for the default value)");
      return ExitCodes.USAGE;
    }
    Optional<RegValue> parsed = Optional.empty();
    if (value != null) {
      int typeCode = typeCode(type);
      if (typeCode < 0) {
        root.err().println("ntio: unknown value type " + type);
        return ExitCodes.USAGE;
      }
      try {
        parsed = Optional.of(parse(value.equals("(Default)") ? "" : value, typeCode, data == null ? "" : data));
      } catch (IllegalArgumentException e) {
        root.err().println("ntio: bad data for " + type + ": " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      KeyCreateResult created = createPath(nt, nativeName.get(), isVolatile);
      if (!created.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot create " + key, created.status());
      }
      try {
        if (parsed.isPresent()) {
          RegValue v = parsed.get();
          NtStatus status = nt.setValueKey(created.handle(), UnicodeString.of(v.name()), v.type(), v.data());
          if (!status.isSuccess()) {
            return Printer.failed(root.err(), "cannot set " + value, status);
          }
        }
        root.out().println("The operation completed successfully.");
        return ExitCodes.SUCCESS;
      } finally {
        nt.close(created.handle());
      }
    }
  }

  /** Creates every missing key along the path, as reg.exe does; returns the last one open. */
  static KeyCreateResult createPath(NtApi nt, String nativeName, boolean isVolatile) {
    String[] parts = nativeName.substring(1).split("\\\\");
    StringBuilder path = new StringBuilder();
    KeyCreateResult last = null;
    for (int i = 0; i < parts.length; i++) {
      path.append('\\').append(parts[i]);
      if (i < 2) {
        continue;
      }
      if (last != null) {
        nt.close(last.handle());
      }
      boolean isLast = i == parts.length - 1;
      int options = isVolatile && isLast ? KeyCreateResult.REG_OPTION_VOLATILE : 0;
      // As advapi32 does: each parent only needs to let a subkey be created in it.
      int access = isLast ? AccessMask.KEY_READ | AccessMask.KEY_WRITE : AccessMask.KEY_CREATE_SUB_KEY;
      last = nt.createKey(access, ObjectAttributes.of(path.toString()), options);
      if (!last.status().isSuccess()) {
        return last;
      }
    }
    if (last == null) {
      return new KeyCreateResult(NtStatus.STATUS_ACCESS_DENIED, Handle.NULL, 0);
    }
    return last;
  }

  static int typeCode(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (int code = 0; code <= RegType.REG_QWORD; code++) {
      if (RegType.name(code).equals(upper)) {
        return code;
      }
    }
    return -1;
  }

  /** Data as reg.exe's {@code /d} takes it, for each type. */
  static RegValue parse(String name, int type, String data) {
    return switch (type) {
      case RegType.REG_SZ -> RegValue.string(name, data);
      case RegType.REG_EXPAND_SZ -> RegValue.expandString(name, data);
      case RegType.REG_MULTI_SZ -> RegValue.multiString(name, data.isEmpty() ? List.of() : List.of(data.split("\\\\0", -1)));
      case RegType.REG_DWORD -> RegValue.dword(name, (int) parseNumber(data, 0xFFFFFFFFL));
      case RegType.REG_QWORD -> RegValue.qword(name, parseNumber(data, -1));
      case RegType.REG_NONE -> new RegValue(name, RegType.REG_NONE, HexFormat.of().parseHex(data));
      default -> new RegValue(name, type, HexFormat.of().parseHex(data));
    };
  }

  private static long parseNumber(String text, long max) {
    String t = text.trim();
    if (t.isEmpty()) {
      return 0;
    }
    long value;
    try {
      value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + text, e);
    }
    if (max != -1 && (value < 0 || value > max)) {
      throw new IllegalArgumentException(text + " does not fit in 32 bits");
    }
    return value;
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a key and its subtree to a .reg file (Windows Registry Editor Version 5.00).")
  int export(@Parameters(index = "0", paramLabel = "KEY") String key,
      @Parameters(index = "1", paramLabel = "FILE") java.nio.file.Path file) {
    Optional<String> nativeName = RegistryPaths.toNative(key);
    if (nativeName.isEmpty()) {
      return Printer.failed(root.err(), "unknown root key in " + key, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    try (Session session = root.session()) {
      RegExportResult exported = session.nt().exportKey(nativeName.get());
      if (!exported.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot export " + key + " (" + exported.message() + ")", exported.status());
      }
      try {
        java.nio.file.Files.write(file, RegFiles.encode(exported.text()));
      } catch (java.io.IOException e) {
        root.err().println("ntio: cannot write " + file + ": " + describe(e));
        return ExitCodes.NT_FAILURE;
      }
      root.out().println("The operation completed successfully.");
      return ExitCodes.SUCCESS;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Apply a .reg file, all or nothing; a malformed file is refused with its line number.")
  int importFile(@Parameters(index = "0", paramLabel = "FILE") java.nio.file.Path file) {
    byte[] bytes;
    try {
      bytes = java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      root.err().println("ntio: cannot read " + file + ": " + describe(e));
      return ExitCodes.NT_FAILURE;
    }
    try (Session session = root.session()) {
      RegImportResult imported = session.nt().importRegFile(bytes);
      if (!imported.status().isSuccess()) {
        String where = imported.line() > 0 ? file + ":" + imported.line() : file.toString();
        return Printer.failed(root.err(), where + ": " + imported.message() + "; nothing was imported",
            imported.status());
      }
      root.out().println("The operation completed successfully.");
      return ExitCodes.SUCCESS;
    }
  }

  private static String describe(java.io.IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a value, or a key with everything below it.")
  int delete(
      @Parameters(index = "0", paramLabel = "KEY") String key,
      @Option(names = "--value", paramLabel = "NAME", description = "Delete only this value.") String value) {
    Optional<String> nativeName = RegistryPaths.toNative(key);
    if (nativeName.isEmpty()) {
      return Printer.failed(root.err(), "unknown root key in " + key, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      NtStatus status = value != null
          ? deleteValue(nt, nativeName.get(), value.equals("(Default)") ? "" : value)
          : deleteTree(nt, nativeName.get());
      if (!status.isSuccess()) {
        return Printer.failed(root.err(), "cannot delete " + (value != null ? value + " in " : "") + key, status);
      }
      root.out().println("The operation completed successfully.");
      return ExitCodes.SUCCESS;
    }
  }

  private static NtStatus deleteValue(NtApi nt, String nativeName, String value) {
    OpenResult opened = nt.openKey(AccessMask.KEY_SET_VALUE, ObjectAttributes.of(nativeName));
    if (!opened.status().isSuccess()) {
      return opened.status();
    }
    try {
      return nt.deleteValueKey(opened.handle(), UnicodeString.of(value));
    } finally {
      nt.close(opened.handle());
    }
  }

  /** A key open for deletion, and its name. */
  private record OpenKey(String nativeName, Handle handle) {}

  /**
   * Deletes the subkeys depth first, then the key: NtDeleteKey refuses a key with subkeys. The
   * keys on the way down are kept on a stack of its own, not the thread's: a tree from an older
   * hive may be deeper than any thread's stack.
   */
  static NtStatus deleteTree(NtApi nt, String nativeName) {
    Deque<OpenKey> path = new ArrayDeque<>();
    try {
      OpenResult opened = openForDelete(nt, nativeName);
      if (!opened.status().isSuccess()) {
        return opened.status();
      }
      path.push(new OpenKey(nativeName, opened.handle()));
      while (!path.isEmpty()) {
        OpenKey key = path.peek();
        KeyNameResult child = nt.enumerateKey(key.handle(), 0);
        if (child.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
          path.pop();
          NtStatus deleted;
          try {
            deleted = nt.deleteKey(key.handle());
          } finally {
            nt.close(key.handle());
          }
          if (!deleted.isSuccess()) {
            return deleted;
          }
          continue;
        }
        if (!child.status().isSuccess()) {
          return child.status();
        }
        String childName = key.nativeName() + "\\" + child.name();
        OpenResult sub = openForDelete(nt, childName);
        if (!sub.status().isSuccess()) {
          return sub.status();
        }
        path.push(new OpenKey(childName, sub.handle()));
      }
      return NtStatus.STATUS_SUCCESS;
    } finally {
      for (OpenKey key : path) {
        nt.close(key.handle());
      }
    }
  }

  private static OpenResult openForDelete(NtApi nt, String nativeName) {
    // A link is deleted as a link: following it would delete its target's tree.
    return nt.openKey(AccessMask.KEY_READ | AccessMask.DELETE, ObjectAttributes.of(nativeName,
        ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_OPENLINK));
  }

}
