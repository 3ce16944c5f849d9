package ntio.host.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.DeviceStackLayer;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.PnpVetoResult;
import ntio.api.Privilege;
import ntio.api.SystemResult;
import ntio.ddk.NtStatus;
import ntio.hostfs.HostFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio devcon}: the Plug and Play manager's devices, as the WDK's {@code devcon.exe} installs,
 * removes, enables, disables, restarts and lists them, and the device tree as text, JSON or an SVG
 * picture ({@link DeviceTreeSvg}). Every call is one of {@link NtApi}'s PnP calls; those that
 * change a device enable {@code SeLoadDriverPrivilege} first, as an administrator's tool does, and
 * a token without it gets {@code STATUS_PRIVILEGE_NOT_HELD} from the kernel. A removal a driver or
 * an open handle vetoes prints who vetoed and why, and fails (exit code 1).
 */
@Command(name = "devcon", mixinStandardHelpOptions = true,
    description = "Install, remove, enable, disable, restart and list Plug and Play devices (devcon.exe).")
final class DevconCommand {

  /** rw-r--r--: the picture is for anyone to look at, as any file a user's tool writes. */
  static final Set<PosixFilePermission> PICTURE_MODE = PosixFilePermissions.fromString("rw-r--r--");

  @ParentCommand
  NtioCommand root;

  // devcon install -------------------------------------------------------------------------------

  @Command(name = "install", mixinStandardHelpOptions = true,
      description = {"Create a root-enumerated device with hardware ID HWID, served by the installed"
          + " service SERVICE, and bring it up: its drivers load, AddDevice is called lower filters first,"
          + " then IRP_MN_START_DEVICE.",
          "A device that is created but does not start is still installed; its problem code says why."})
  int install(@Parameters(index = "0", paramLabel = "SERVICE") String service,
      @Parameters(index = "1", paramLabel = "HWID") String hardwareId,
      @Mixin DriverOptions options,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    DeviceInstall request = options.request(hardwareId, service);
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      enableLoadDriverPrivilege(nt);
      DeviceInstallResult installed = nt.installDevice(request);
      if (!installed.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot install " + hardwareId + " for " + service, installed.status());
      }
      DevNodeInfo node = find(nt, installed.instancePath());
      if (json) {
        Printer.json(root.out(), Printer.fields("instancePath", installed.instancePath(),
            "device", node == null ? null : DevnodeLines.json(node)));
        return ExitCodes.SUCCESS;
      }
      root.out().println("Device node created: " + installed.instancePath());
      if (node != null) {
        DevnodeLines.status(node).forEach(root.out()::println);
      }
      return ExitCodes.SUCCESS;
    }
  }

  // devcon update --------------------------------------------------------------------------------

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = {"Add SERVICE as the driver of hardware ID HWID (ntio's stand-in for an INF): recorded in"
          + " the driver database (DriverDatabase\\DeviceIds\\<HWID>), so that every device a bus"
          + " enumerates with that hardware ID gets it, with the filters given.",
          "Present devices with that ID and no driver get it now and are brought up; devices that"
              + " already have a driver keep it."})
  int update(@Parameters(index = "0", paramLabel = "SERVICE") String service,
      @Parameters(index = "1", paramLabel = "HWID") String hardwareId,
      @Mixin DriverOptions options,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      enableLoadDriverPrivilege(nt);
      SystemResult<String> updated = nt.updateDriver(options.request(hardwareId, service));
      if (!updated.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot add " + service + " for " + hardwareId, updated.status());
      }
      if (json) {
        Printer.json(root.out(), Printer.fields("hardwareId", hardwareId, "service", service,
            "installedOn", updated.rows()));
        return ExitCodes.SUCCESS;
      }
      root.out().println(service + " serves " + hardwareId + "; installed on " + updated.rows().size()
          + " present device(s)" + (updated.rows().isEmpty() ? "." : ":"));
      updated.rows().forEach(path -> root.out().println("    " + path));
      return ExitCodes.SUCCESS;
    }
  }

  /** The options that name a device's driver stack, shared by install and update. */
  static final class DriverOptions {
    @Option(names = "--class", paramLabel = "NAME",
        description = "The device class's name (install: Enum\\Root\\<NAME>\\NNNN; default: HWID's last part).")
    String className;

    @Option(names = "--upper-filter", paramLabel = "SERVICE", description = "An upper filter, in load order.")
    List<String> upperFilters;

    @Option(names = "--lower-filter", paramLabel = "SERVICE", description = "A lower filter, in load order.")
    List<String> lowerFilters;

    DeviceInstall request(String hardwareId, String service) {
      return new DeviceInstall(hardwareId, service, className == null ? "" : className,
          lowerFilters == null ? List.of() : lowerFilters, upperFilters == null ? List.of() : upperFilters);
    }
  }

  // devcon remove / enable / disable -------------------------------------------------------------

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Remove the device INSTANCE and its children: query-remove (a driver or an open handle"
          + " may veto), then remove; a root-enumerated device's instance key is deleted.",
          "When the last device of a PnP driver goes, the driver unloads."})
  int remove(@Parameters(index = "0", paramLabel = "INSTANCE") String instance,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    return vetoable(instance, json, "remove", "Removed", NtApi::removeDevice);
  }

  @Command(name = "enable", mixinStandardHelpOptions = true,
      description = "Enable the disabled device INSTANCE and bring it up.")
  int enable(@Parameters(index = "0", paramLabel = "INSTANCE") String instance,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    return vetoable(instance, json, "enable", "Enabled", (nt, path) -> PnpVetoResult.of(nt.enableDevice(path)));
  }

  @Command(name = "disable", mixinStandardHelpOptions = true,
      description = "Disable the device INSTANCE: removed as by remove, and kept from starting (ConfigFlags).")
  int disable(@Parameters(index = "0", paramLabel = "INSTANCE") String instance,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    return vetoable(instance, json, "disable", "Disabled", NtApi::disableDevice);
  }

  private int vetoable(String instance, boolean json, String verb, String done,
      BiFunction<NtApi, String, PnpVetoResult> call) {
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      enableLoadDriverPrivilege(nt);
      PnpVetoResult result = call.apply(nt, instance);
      if (json) {
        Printer.json(root.out(), DevnodeLines.json(instance, result));
      }
      if (!result.status().isSuccess()) {
        Printer.failed(root.err(), "cannot " + verb + " " + instance, result.status());
        if (result.vetoed()) {
          root.err().println("  vetoed by " + result.vetoName() + " (" + DevnodeLines.vetoType(result.vetoType())
              + ")" + (result.vetoReason().isEmpty() ? "" : ": " + result.vetoReason()));
        }
        return ExitCodes.NT_FAILURE;
      }
      if (!json) {
        root.out().println(instance + ": " + done);
      }
      return ExitCodes.SUCCESS;
    }
  }

  // devcon status / stack / restart --------------------------------------------------------------

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"The state of the device INSTANCE (a trailing * matches every instance path it starts),"
          + " or of every device: running, stopped, disabled, or its problem code, name and status."})
  int status(@Parameters(index = "0", arity = "0..1", paramLabel = "INSTANCE") String instance,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    try (Session session = root.session()) {
      DeviceTree tree = tree(session.nt());
      if (tree == null) {
        return ExitCodes.NT_FAILURE;
      }
      List<DevNodeInfo> nodes = instance == null
          ? tree.preorder().stream().map(DeviceTree.Node::info).toList() : tree.matching(instance);
      if (nodes.isEmpty()) {
        return Printer.failed(root.err(), "no device matches " + instance, NtStatus.STATUS_NO_SUCH_DEVICE);
      }
      if (json) {
        Printer.json(root.out(), Printer.fields("devices", nodes.stream().map(DevnodeLines::json).toList()));
        return ExitCodes.SUCCESS;
      }
      for (DevNodeInfo node : nodes) {
        DevnodeLines.status(node).forEach(root.out()::println);
      }
      root.out().println(nodes.size() + " matching device(s) found.");
      return ExitCodes.SUCCESS;
    }
  }

  @Command(name = "stack", mixinStandardHelpOptions = true,
      description = "The device stack of INSTANCE, top to bottom: role, device, driver, service; and its filters.")
  int stack(@Parameters(index = "0", paramLabel = "INSTANCE") String instance,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    try (Session session = root.session()) {
      DeviceTree tree = tree(session.nt());
      if (tree == null) {
        return ExitCodes.NT_FAILURE;
      }
      DevNodeInfo node = tree.find(instance).orElse(null);
      if (node == null) {
        return Printer.failed(root.err(), "no device " + instance, NtStatus.STATUS_NO_SUCH_DEVICE);
      }
      if (json) {
        Map<String, Object> doc = DevnodeLines.json(node);
        Printer.json(root.out(), Printer.fields("instancePath", node.instancePath(), "upperFilters",
            node.upperFilters(), "service", node.service(), "lowerFilters", node.lowerFilters(),
            "stack", doc.get("stack")));
        return ExitCodes.SUCCESS;
      }
      root.out().println(node.instancePath());
      root.out().println("    Upper filters: " + list(node.upperFilters()));
      root.out().println("    Service: " + (node.service().isEmpty() ? "(none)" : node.service()));
      root.out().println("    Lower filters: " + list(node.lowerFilters()));
      if (node.stack().isEmpty()) {
        root.out().println("    No device objects: the devnode has no PDO yet, or was removed.");
        return ExitCodes.SUCCESS;
      }
      List<List<String>> rows = new ArrayList<>();
      for (DeviceStackLayer layer : node.stack()) {
        rows.add(List.of(layer.role(), layer.deviceName().isEmpty() ? "(unnamed)" : layer.deviceName(),
            layer.driverName(), layer.service().isEmpty() ? "(builtin)" : layer.service()));
      }
      Printer.table(root.out(), List.of("Role", "Device", "Driver", "Service"), rows);
      return ExitCodes.SUCCESS;
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true,
      description = "Restart the device INSTANCE: removed as by remove, then brought up again.")
  int restart(@Parameters(index = "0", paramLabel = "INSTANCE") String instance,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    return vetoable(instance, json, "restart", "Restarted", NtApi::restartDevice);
  }

  // devcon tree ----------------------------------------------------------------------------------

  @Command(name = "tree", mixinStandardHelpOptions = true,
      description = {"The device tree, each devnode indented under its parent with its state and problem.",
          "--svg FILE draws it instead: each devnode a box with its instance path, stack, state and"
              + " problem, edges from parent to child (a standalone SVG file, mode 0644)."})
  int tree(@Option(names = "--svg", paramLabel = "FILE", description = "Write the tree as an SVG picture.") Path svg,
      @Option(names = "--json", description = "Print one JSON document (nested by children).") boolean json) {
    try (Session session = root.session()) {
      DeviceTree tree = tree(session.nt());
      if (tree == null) {
        return ExitCodes.NT_FAILURE;
      }
      if (svg != null) {
        byte[] picture = DeviceTreeSvg.render(tree).getBytes(StandardCharsets.UTF_8);
        try {
          HostFiles.replace(svg, new ByteArrayInputStream(picture), PICTURE_MODE);
        } catch (IOException e) {
          root.err().println("ntio: cannot write " + svg + ": " + e);
          return ExitCodes.NT_FAILURE;
        }
        if (!json) {
          root.out().println("Wrote the device tree (" + tree.preorder().size() + " devnodes) to " + svg);
        }
      }
      if (json) {
        Printer.json(root.out(), Printer.fields("tree", tree.roots().stream().map(DevconCommand::nested).toList()));
      } else if (svg == null) {
        tree.preorder().forEach(node -> root.out().println(DevnodeLines.treeLine(node)));
      }
      return ExitCodes.SUCCESS;
    }
  }

  private static Map<String, Object> nested(DeviceTree.Node node) {
    Map<String, Object> fields = DevnodeLines.json(node.info());
    fields.put("children", node.children().stream().map(DevconCommand::nested).toList());
    return fields;
  }

  // Shared ---------------------------------------------------------------------------------------

  /**
   * The kernel's device tree, or null after printing why it could not be had. A tree cut short by
   * the wire ({@code STATUS_BUFFER_OVERFLOW}: more devnodes than one reply carries) is shown as far
   * as it goes, with a warning.
   */
  private DeviceTree tree(NtApi nt) {
    SystemResult<DevNodeInfo> rows = nt.queryDeviceTree();
    if (rows.status().equals(NtStatus.STATUS_BUFFER_OVERFLOW)) {
      root.err().println("ntio: warning: the device tree is larger than one reply; showing its first "
          + rows.rows().size() + " devnodes (" + rows.status() + ")");
    } else if (!rows.status().isSuccess()) {
      Printer.failed(root.err(), "cannot read the device tree", rows.status());
      return null;
    }
    return DeviceTree.of(rows.rows());
  }

  private static DevNodeInfo find(NtApi nt, String instancePath) {
    SystemResult<DevNodeInfo> rows = nt.queryDeviceTree();
    return DeviceTree.of(rows.rows()).find(instancePath).orElse(null);
  }

  private static String list(List<String> services) {
    return services.isEmpty() ? "(none)" : String.join(", ", services);
  }

  /** As {@code ntio sc start} does before NtLoadDriver: the kernel checks the privilege is enabled. */
  private static void enableLoadDriverPrivilege(NtApi nt) {
    nt.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
  }
}
