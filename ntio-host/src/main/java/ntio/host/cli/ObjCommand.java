package ntio.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntio.api.DeviceInfo;
import ntio.api.DirectoryEntry;
import ntio.api.EntryInfo;
import ntio.api.Listing;
import ntio.api.NtApi;
import ntio.api.ObjectInfo;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.api.SystemResult;
import ntio.ddk.AccessMask;
import ntio.ddk.ObjectAttributes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ntio obj}: the object namespace, as WinObj shows it. */
@Command(name = "obj", mixinStandardHelpOptions = true,
    addMethodSubcommands = false, // Subcommands adds the method a command line names
    description = "Browse the object namespace (WinObj).")
final class ObjCommand {

  @ParentCommand
  NtioCommand root;

  @Command(name = "ls", mixinStandardHelpOptions = true,
      description = "List a namespace directory: name, type, link target.")
  int ls(
      @Parameters(index = "0", arity = "0..1", defaultValue = "\\", paramLabel = "PATH",
          description = "The directory, for example \\ or \\Device. Default: \\.") String path,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      OpenResult opened = nt.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of(path));
      if (!opened.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot open directory " + path, opened.status());
      }
      try {
        Listing listing = nt.queryDirectoryObject(opened.handle());
        if (!listing.status().isSuccess()) {
          return Printer.failed(root.err(), "cannot list " + path, listing.status());
        }
        print(path, listing.entries(), json);
        return ExitCodes.SUCCESS;
      } finally {
        nt.close(opened.handle());
      }
    }
  }

  private void print(String path, List<DirectoryEntry> entries, boolean json) {
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (DirectoryEntry entry : entries) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", entry.name());
        row.put("type", entry.typeName());
        if (entry.linkTarget() != null) {
          row.put("target", entry.linkTarget());
        }
        rows.add(row);
      }
      Printer.json(root.out(), Printer.fields("directory", path, "entries", rows));
      return;
    }
    root.out().println("Directory " + path + " (" + entries.size() + (entries.size() == 1 ? " entry)" : " entries)"));
    root.out().println();
    List<List<String>> rows = new ArrayList<>();
    for (DirectoryEntry entry : entries) {
      rows.add(List.of(entry.name(), entry.typeName(), entry.linkTarget() == null ? "" : "-> " + entry.linkTarget()));
    }
    Printer.table(root.out(), List.of("Name", "Type", "Target"), rows);
  }

  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "An object's header: type, pointer and handle counts, permanent; for a device also"
          + " ReferenceCount, DO_/DOE_ flags, attached devices, stack size and driver (!devobj).")
  int info(
      @Parameters(index = "0", paramLabel = "PATH", description = "The object, for example \\Device or \\??\\Echo.") String path,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      int slash = path.lastIndexOf('\\');
      if (!path.startsWith("\\") || (slash == path.length() - 1 && path.length() > 1)) {
        return Printer.failed(root.err(), "not an absolute object name: " + path,
            ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
      }
      String parent = path.equals("\\") ? "\\" : slash == 0 ? "\\" : path.substring(0, slash);
      String name = path.equals("\\") ? null : path.substring(slash + 1);
      OpenResult opened = nt.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of(parent));
      if (!opened.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot open directory " + parent, opened.status());
      }
      try {
        ObjectInfo info;
        if (name == null) {
          ObjectQuery self = nt.queryObject(opened.handle());
          if (!self.isSuccess()) {
            return Printer.failed(root.err(), "cannot query " + path, self.status());
          }
          info = self.info();
        } else {
          EntryInfo entry = nt.queryDirectoryEntry(opened.handle(), name);
          if (!entry.status().isSuccess()) {
            return Printer.failed(root.err(), "cannot find " + path, entry.status());
          }
          info = entry.info();
        }
        DeviceInfo device = null;
        if (info.typeName().equals("Device")) {
          SystemResult<DeviceInfo> found = nt.queryDevice(path);
          if (!found.status().isSuccess()) {
            return Printer.failed(root.err(), "cannot describe device " + path, found.status());
          }
          device = found.rows().get(0);
        }
        print(path, info, device, json);
        return ExitCodes.SUCCESS;
      } finally {
        nt.close(opened.handle());
      }
    }
  }

  private void print(String path, ObjectInfo info, DeviceInfo device, boolean json) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", info.name().isEmpty() ? path : info.name());
    fields.put("type", info.typeName());
    fields.put("pointerCount", info.pointerCount());
    fields.put("handleCount", info.handleCount());
    fields.put("permanent", info.permanent());
    fields.put("exclusive", info.exclusive());
    Map<String, Object> deviceFields = device == null ? null : deviceFields(device);
    if (json) {
      if (deviceFields != null) {
        fields.put("device", deviceFields);
      }
      Printer.json(root.out(), fields);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    fields.forEach((key, value) -> rows.add(List.of(key, String.valueOf(value))));
    Printer.table(root.out(), List.of("Field", "Value"), rows);
    if (deviceFields != null) {
      // What !devobj adds for a device object.
      root.out().println();
      rows.clear();
      deviceFields.forEach((key, value) -> rows.add(List.of(key,
          value instanceof List<?> list ? (list.isEmpty() ? "(none)" : String.join(" ", list.stream().map(String::valueOf).toList()))
              : value == null || String.valueOf(value).isEmpty() ? "(none)" : String.valueOf(value))));
      Printer.table(root.out(), List.of("Device", "Value"), rows);
    }
  }

  /** A device object's fields as {@code !devobj} shows them. */
  private static Map<String, Object> deviceFields(DeviceInfo device) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("driver", device.driver());
    fields.put("deviceType", String.format("0x%08X", device.deviceType()));
    fields.put("referenceCount", device.referenceCount());
    fields.put("flags", String.format("0x%08X", device.flags()));
    fields.put("extensionFlags", String.format("0x%08X", device.extensionFlags()));
    fields.put("flagNames", device.flagNames());
    fields.put("stackSize", device.stackSize());
    fields.put("attachedDevice", device.attachedDevice().isEmpty() ? null : device.attachedDevice());
    fields.put("attachedTo", device.attachedTo().isEmpty() ? null : device.attachedTo());
    fields.put("history", device.history());
    fields.put("driverHistory", device.driverHistory());
    return fields;
  }

}
