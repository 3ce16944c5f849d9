package ntio.host.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ntio.api.DriverInfo;
import ntio.api.SystemResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntio driverquery}: the loaded drivers, as {@code driverquery} lists them. */
@Command(name = "driverquery", mixinStandardHelpOptions = true,
    description = {"Loaded drivers: module name, image, type, state, devices, open references (driverquery).",
        "With --si, each image's signer: the signing certificate's common name, unsigned, or not checked."})
final class DriverqueryCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand
  NtioCommand root;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Option(names = {"--si", "/si"},
      description = "Signed driver information: each driver's image and who signed it (driverquery /si).")
  boolean signed;

  @Override
  public Integer call() {
    try (Session session = root.session()) {
      SystemResult<DriverInfo> drivers = session.nt().queryDrivers();
      if (!drivers.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot query the loaded drivers", drivers.status());
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (DriverInfo driver : drivers.rows()) {
        rows.add(Printer.fields(
            "module", moduleName(driver),
            "driverObject", driver.name(),
            "image", driver.imagePath(),
            "type", type(driver),
            "state", switch (ScCommand.stateOf(driver)) {
              case START_PENDING -> "Start pending";
              case STOP_PENDING -> "Stop pending";
              default -> "Running";
            },
            "devices", driver.devices(),
            "openReferences", driver.openReferences(),
            "signer", driver.signer()));
      }
      if (json) {
        Printer.json(root.out(), Printer.fields("drivers", rows));
        return ExitCodes.SUCCESS;
      }
      if (signed) {
        List<List<String>> table = new ArrayList<>();
        for (Map<String, Object> row : rows) {
          table.add(List.of(String.valueOf(row.get("module")), String.valueOf(row.get("image")),
              signerColumn(String.valueOf(row.get("signer")))));
        }
        Printer.table(root.out(), List.of("Module Name", "Image", "Signer"), table);
        return ExitCodes.SUCCESS;
      }
      List<List<String>> table = new ArrayList<>();
      for (Map<String, Object> row : rows) {
        row = new java.util.LinkedHashMap<>(row);
        row.remove("signer"); // shown by --si and --json
        table.add(row.values().stream().map(v -> v == null || String.valueOf(v).isEmpty() ? "-" : String.valueOf(v))
            .toList());
      }
      Printer.table(root.out(),
          List.of("Module Name", "Driver Object", "Image", "Driver Type", "State", "Devices", "Opens"), table);
      return ExitCodes.SUCCESS;
    }
  }

  /** The signer as the --si table shows it: "-" for a driver with no image (builtin). */
  private static String signerColumn(String signer) {
    return signer.isEmpty() ? "-" : signer;
  }

  /** The service name driverquery shows as the module name; the object's last component for a builtin driver. */
  private static String moduleName(DriverInfo driver) {
    String service = driver.service();
    return service.startsWith("\\") ? service.substring(service.lastIndexOf('\\') + 1) : service;
  }

  /** "Kernel" or "File System", as driverquery's Driver Type column says, from where the driver object lives. */
  private static String type(DriverInfo driver) {
    return driver.name().regionMatches(true, 0, "\\FileSystem\\", 0, "\\FileSystem\\".length())
        ? "File System" : "Kernel";
  }
}
