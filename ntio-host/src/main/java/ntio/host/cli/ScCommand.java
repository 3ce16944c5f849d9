package ntio.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import ntio.api.DriverInfo;
import ntio.api.DriverLoadResult;
import ntio.api.KeyCreateResult;
import ntio.api.KeyNameResult;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.SystemResult;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverFlags;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.host.daemon.CrashControl;
import ntio.hostfs.HostFiles;
import ntio.kernel.CodeIntegrityRegistry;
import ntio.kernel.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio sc}: driver services, as {@code sc.exe} creates, starts, stops, queries and deletes
 * them. A service is its key under {@code HKLM\SYSTEM\CurrentControlSet\Services}; starting and
 * stopping are {@code NtLoadDriver} and {@code NtUnloadDriver} on that key's path, and a service's
 * state is read from the loaded drivers, since ntio has no service control manager.
 *
 * <p>{@code sc create} (and {@code sc config}, {@link ScConfigCommand}) first checks the image with
 * the kernel loader's own checks ({@link ImageCheck}) and refuses one that would not load.
 *
 * <p>Implementation notes: {@code sc create} writes the key before it copies the image, so that a
 * caller the registry refuses (a standard user: {@code STATUS_ACCESS_DENIED}) has changed nothing
 * at all, and it deletes the key again when the copy fails, so that no service names an image that
 * is not there.
 */
@Command(name = "sc", mixinStandardHelpOptions = true, subcommands = ScConfigCommand.class,
    addMethodSubcommands = false, // Subcommands adds the method a command line names
    description = "Create, start, stop, query and delete driver services (sc.exe).")
final class ScCommand {

  /** Where service keys live, as NtLoadDriver is given them. */
  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";

  /** The service's type: the key's {@code Type} value. */
  enum ServiceType {
    /** {@code SERVICE_KERNEL_DRIVER}: its driver object is {@code \Driver\NAME}. */
    KERNEL(1),
    /** {@code SERVICE_FILE_SYSTEM_DRIVER}: its driver object is {@code \FileSystem\NAME}. */
    FILESYS(2);

    final int code;

    ServiceType(int code) {
      this.code = code;
    }
  }

  /** When the service starts: the key's {@code Start} value. */
  enum StartType {
    BOOT, SYSTEM, AUTO, DEMAND, DISABLED;

    int code() {
      return ordinal();
    }
  }

  /** A service's state as sc.exe numbers and names it ({@code SERVICE_STOPPED} …). */
  enum State {
    STOPPED(1), START_PENDING(2), STOP_PENDING(3), RUNNING(4);

    final int code;

    State(int code) {
      this.code = code;
    }
  }

  @ParentCommand
  NtioCommand root;

  // sc create ------------------------------------------------------------------------------------

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Write a driver service's key, and install its image into"
          + " SystemRoot\\System32\\drivers in the state directory as an installer does.",
          "ImagePath becomes System32\\drivers\\<file> (REG_EXPAND_SZ); with --no-copy the path is written"
              + " as given (a host path as \\??\\<absolute path>) and the loader's image-path policy decides.",
          "The image is first checked as the loader checks it (a JAR, its Ntio-Driver-Entry class, its imports);"
              + " one that would not load is refused with its status and why. --no-check skips that."})
  int create(
      @Parameters(index = "0", paramLabel = "NAME", description = "The service's name, such as Echo.") String name,
      @Option(names = "--image", required = true, paramLabel = "PATH", description = "The driver's JAR.") String image,
      @Option(names = "--type", defaultValue = "kernel", paramLabel = "kernel|filesys",
          description = "Type 1 (kernel driver, \\Driver\\NAME) or 2 (file system, \\FileSystem\\NAME). Default: kernel.")
      ServiceType type,
      @Option(names = "--start", defaultValue = "demand", paramLabel = "boot|system|auto|demand|disabled",
          description = "Start 0 to 4. Default: demand.") StartType start,
      @Option(names = "--object-name", paramLabel = "NAME",
          description = "The driver object's name (ObjectName), such as \\Driver\\Other.") String objectName,
      @Option(names = "--group", paramLabel = "G", description = "The load order group (Group).") String group,
      @Option(names = "--no-copy", description = "Write the image's path as given; copy nothing.") boolean noCopy,
      @Option(names = "--no-check", description = "Write the service without checking that the image is a"
          + " driver JAR the kernel would load.") boolean noCheck) {
    if (!validName(name)) {
      return ExitCodes.USAGE;
    }
    Path source = null;
    String imagePath;
    if (noCopy) {
      imagePath = asGiven(image);
    } else {
      source = Path.of(image);
      if (!Files.isRegularFile(source)) {
        root.err().println("ntio: no image file " + source);
        return ExitCodes.NT_FAILURE;
      }
      imagePath = "System32\\drivers\\" + source.getFileName();
    }
    Path checkable = source != null ? source : hostFile(image);
    if (!noCheck && checkable != null && !ImageCheck.passes(root.err(), "cannot create service " + name, checkable)) {
      return ExitCodes.NT_FAILURE;
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      KeyCreateResult key = nt.createKey(AccessMask.KEY_READ | AccessMask.KEY_WRITE | AccessMask.DELETE,
          ObjectAttributes.of(servicePath(name)), 0);
      if (!key.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot create service " + name, key.status());
      }
      try {
        if (key.disposition() == KeyCreateResult.REG_OPENED_EXISTING_KEY) {
          // CreateService's ERROR_SERVICE_EXISTS: the existing key is left as it is.
          return Printer.failed(root.err(), "the service " + name + " already exists",
              NtStatus.STATUS_OBJECT_NAME_COLLISION);
        }
        List<RegValue> values = new ArrayList<>(List.of(
            RegValue.dword("Type", type.code),
            RegValue.dword("Start", start.code()),
            RegValue.dword("ErrorControl", 1),
            RegValue.expandString("ImagePath", imagePath)));
        if (objectName != null) {
          values.add(RegValue.string("ObjectName", objectName));
        }
        if (group != null) {
          values.add(RegValue.string("Group", group));
        }
        for (RegValue value : values) {
          NtStatus set = nt.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data());
          if (!set.isSuccess()) {
            nt.deleteKey(key.handle());
            return Printer.failed(root.err(), "cannot set " + value.name() + " of service " + name, set);
          }
        }
        if (source != null) {
          Optional<String> copyFailure = install(source, nt.stateDirectory());
          if (copyFailure.isPresent()) {
            NtStatus rolledBack = nt.deleteKey(key.handle());
            root.err().println("ntio: cannot install " + source + ": " + copyFailure.get() + "; "
                + (rolledBack.isSuccess() ? "the service key was removed again"
                    : "the service key could not be removed: " + rolledBack));
            return ExitCodes.NT_FAILURE;
          }
        }
        nt.flushKey(key.handle());
      } finally {
        nt.close(key.handle());
      }
      root.out().println("[SC] CreateService SUCCESS");
      root.out().println("        ImagePath : " + imagePath);
      signer(source != null ? source : hostFile(image))
          .ifPresent(signer -> root.out().println("        Signer    : " + signer));
      return ExitCodes.SUCCESS;
    }
  }

  /**
   * Who signed the image file, as code integrity will find it ({@link CodeIntegrityRegistry#imageSigner}): the
   * signer's common name, {@code unsigned} or {@code invalid signature}; empty when there is no
   * host file to look at (an NT path given with {@code --no-copy}). The kernel decides at load
   * whether that signer may load, under the code-integrity mode then in force.
   */
  static Optional<String> signer(Path file) {
    return file == null || !Files.isRegularFile(file) ? Optional.empty()
        : Optional.of(CodeIntegrityRegistry.imageSigner(file));
  }

  /** The host file {@code --no-copy}'s image names, if it is a host path. */
  static Path hostFile(String image) {
    return image.startsWith("\\") ? null : Path.of(image);
  }

  /** Copies {@code image} into {@code <state>/SystemRoot/System32/drivers}; empty when it worked, else why not. */
  static Optional<String> install(Path image, Path state) {
    Path drivers = state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    Path target = drivers.resolve(image.getFileName().toString());
    try {
      HostFiles.createPrivateDirectories(drivers);
      if (Files.exists(target) && (Files.isSameFile(image, target) || Files.mismatch(image, target) == -1)) {
        return Optional.empty();
      }
      // Mode 0600 whatever the umask, moved into place: never a moment another user could write it.
      try (InputStream bytes = Files.newInputStream(image)) {
        HostFiles.replace(target, bytes, HostFiles.PRIVATE_FILE);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e instanceof java.nio.file.AccessDeniedException ? "permission denied on " + e.getMessage()
          : e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * {@code --no-copy}'s ImagePath: an NT path ({@code \SystemRoot\…}, {@code \??\…}, or relative
   * to {@code \SystemRoot\} such as {@code System32\drivers\Echo.jar}) as given; a host path
   * ({@code /opt/drivers/Echo.jar}, {@code build/Echo.jar}) as {@code \??\} and its absolute form,
   * the name the loader gives a host file.
   */
  static String asGiven(String image) {
    boolean hostPath = java.io.File.separatorChar == '/' && image.contains("/") && !image.startsWith("\\");
    return hostPath ? "\\??\\" + Path.of(image).toAbsolutePath().normalize() : image;
  }

  // sc start / stop ------------------------------------------------------------------------------

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Load the service's driver: NtLoadDriver on its key, with SeLoadDriverPrivilege enabled.")
  int start(@Parameters(index = "0", paramLabel = "NAME") String name) {
    if (!validName(name)) {
      return ExitCodes.USAGE;
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      enableLoadDriverPrivilege(nt);
      DriverLoadResult loaded = nt.loadDriverDetailed(UnicodeString.of(servicePath(name)));
      if (!loaded.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot start " + name, loaded);
      }
      return printService(nt, name);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = {"Unload the service's driver: NtUnloadDriver on its key, with SeLoadDriverPrivilege enabled.",
          "STOP_PENDING means the unload is deferred: a device is still open, and the driver unloads"
              + " when the last handle closes; HELD_BY lists what holds it."})
  int stop(@Parameters(index = "0", paramLabel = "NAME") String name) {
    if (!validName(name)) {
      return ExitCodes.USAGE;
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      enableLoadDriverPrivilege(nt);
      NtStatus unloaded = nt.unloadDriver(UnicodeString.of(servicePath(name)));
      if (!unloaded.isSuccess()) {
        // NtUnloadDriver looks for the driver object the key names: not finding it is sc.exe's
        // "the service has not been started" when the key is there.
        boolean notStarted = unloaded.equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND) && readService(nt, name,
            Map.of()).status().isSuccess();
        return Printer.failed(root.err(), "cannot stop " + name + (notStarted ? " (it is not started)" : ""), unloaded);
      }
      return printService(nt, name);
    }
  }

  /**
   * As an administrator's tool does before NtLoadDriver or NtUnloadDriver. A token without the
   * privilege gets STATUS_NOT_ALL_ASSIGNED here, a success, and the call that needs it then fails
   * with STATUS_PRIVILEGE_NOT_HELD, which is the status worth showing.
   */
  private static void enableLoadDriverPrivilege(NtApi nt) {
    nt.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
  }

  // sc query -------------------------------------------------------------------------------------

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = {"A service's type, state and start type, as sc.exe lays them out;"
          + " without NAME, every driver service (Type 1 or 2).",
          "STATE is STOPPED, RUNNING, START_PENDING while DriverEntry runs, or STOP_PENDING while"
              + " DriverUnload runs or an unload waits for the last handle to close; then HELD_BY lists"
              + " what holds the driver (handles by process, attached devices, pending requests)."})
  int query(
      @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String name,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    if (name != null && !validName(name)) {
      return ExitCodes.USAGE;
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      SystemResult<DriverInfo> drivers = nt.queryDrivers();
      if (!drivers.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot query the loaded drivers", drivers.status());
      }
      List<Map<String, Object>> services = new ArrayList<>();
      if (name != null) {
        ServiceRead read = readService(nt, name, byService(drivers.rows()));
        if (!read.status().isSuccess()) {
          return Printer.failed(root.err(), "cannot query service " + name, read.status());
        }
        services.add(read.fields());
      } else {
        NtStatus status = readDriverServices(nt, drivers.rows(), services);
        if (!status.isSuccess()) {
          return Printer.failed(root.err(), "cannot enumerate the services", status);
        }
      }
      if (json) {
        Printer.json(root.out(), name != null ? services.get(0) : Printer.fields("services", services));
      } else {
        for (int i = 0; i < services.size(); i++) {
          if (i > 0) {
            root.out().println();
          }
          printBlock(services.get(i));
        }
      }
      return ExitCodes.SUCCESS;
    }
  }

  /** Prints one service's block after a start or a stop, from the key and the loaded drivers. */
  private int printService(NtApi nt, String name) {
    SystemResult<DriverInfo> drivers = nt.queryDrivers();
    if (!drivers.status().isSuccess()) {
      return Printer.failed(root.err(), "cannot query the loaded drivers", drivers.status());
    }
    ServiceRead read = readService(nt, name, byService(drivers.rows()));
    if (!read.status().isSuccess()) {
      return Printer.failed(root.err(), "cannot query service " + name, read.status());
    }
    printBlock(read.fields());
    return ExitCodes.SUCCESS;
  }

  private void printBlock(Map<String, Object> service) {
    root.out().println("SERVICE_NAME: " + service.get("name"));
    line("TYPE", code(service.get("type")) + "  " + service.get("typeName"));
    line("STATE", service.get("state") + "  " + service.get("stateName"));
    line("START_TYPE", code(service.get("start")) + "  " + service.get("startName"));
    line("BINARY_PATH_NAME", String.valueOf(service.get("imagePath")));
    if (service.get("driverObject") != null) {
      line("DRIVER_OBJECT", String.valueOf(service.get("driverObject")));
      line("DEVICES", String.valueOf(service.get("devices")));
      line("OPEN_REFERENCES", String.valueOf(service.get("openReferences")));
      HolderLines.print(root.out(), service.get("holders"), "        ", 19);
    }
    if (service.get("detail") != null) {
      line("DETAIL", String.valueOf(service.get("detail")));
    }
  }

  private static String code(Object value) {
    return value == null ? "-" : String.valueOf(value);
  }

  private void line(String label, String value) {
    root.out().println(String.format("        %-19s: %s", label, value));
  }

  /** One service read: a status and, on success, its fields in output order. */
  private record ServiceRead(NtStatus status, Map<String, Object> fields) {}

  private static ServiceRead readService(NtApi nt, String name, Map<String, DriverInfo> drivers) {
    OpenResult key = nt.openKey(AccessMask.KEY_READ, ObjectAttributes.of(servicePath(name)));
    if (!key.status().isSuccess()) {
      return new ServiceRead(key.status(), Map.of());
    }
    try {
      return new ServiceRead(NtStatus.STATUS_SUCCESS, describe(nt, key.handle(), name, drivers));
    } finally {
      nt.close(key.handle());
    }
  }

  /**
   * Every subkey of Services whose Type is 1 or 2, in the key's order. The loaded drivers are
   * indexed by service once: matching each service against the whole list made a query of N
   * services with N drivers running quadratic.
   */
  private static NtStatus readDriverServices(NtApi nt, List<DriverInfo> loaded, List<Map<String, Object>> into) {
    Map<String, DriverInfo> drivers = byService(loaded);
    OpenResult services = nt.openKey(AccessMask.KEY_READ, ObjectAttributes.of(SERVICES));
    if (!services.status().isSuccess()) {
      return services.status();
    }
    try {
      for (int i = 0; ; i++) {
        KeyNameResult next = nt.enumerateKey(services.handle(), i);
        if (next.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
          return NtStatus.STATUS_SUCCESS;
        }
        if (!next.status().isSuccess()) {
          return next.status();
        }
        ServiceRead read = readService(nt, next.name(), drivers);
        Object type = read.fields().get("type");
        if (read.status().isSuccess() && (Integer.valueOf(1).equals(type) || Integer.valueOf(2).equals(type))) {
          into.add(read.fields());
        }
      }
    } finally {
      nt.close(services.handle());
    }
  }

  private static Map<String, Object> describe(NtApi nt, Handle key, String name, Map<String, DriverInfo> drivers) {
    OptionalInt type = dword(nt, key, "Type");
    OptionalInt start = dword(nt, key, "Start");
    Optional<DriverInfo> driver = Optional.ofNullable(drivers.get(name));
    State state = stateOf(driver);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("type", type.isPresent() ? type.getAsInt() : null);
    fields.put("typeName", type.isPresent() ? typeName(type.getAsInt()) : "(no Type value)");
    fields.put("state", state.code);
    fields.put("stateName", state.name());
    fields.put("start", start.isPresent() ? start.getAsInt() : null);
    fields.put("startName", start.isPresent() ? startName(start.getAsInt()) : "(no Start value)");
    ValueResult image = nt.queryValueKey(key, UnicodeString.of("ImagePath"));
    fields.put("imagePath", image.status().isSuccess() ? RegCommand.format(image.value()) : "(default)");
    fields.put("driverObject", driver.map(DriverInfo::name).orElse(null));
    fields.put("devices", driver.map(DriverInfo::devices).orElse(null));
    fields.put("openReferences", driver.map(DriverInfo::openReferences).orElse(null));
    if (state == State.STOP_PENDING) {
      fields.put("holders", HolderLines.fields(nt, name));
    }
    if (state == State.STOPPED) {
      // Why a host's automatic reboot after a bug check left this start driver out.
      ValueResult why = nt.queryValueKey(key, UnicodeString.of(CrashControl.NOT_STARTED_VALUE));
      if (why.status().isSuccess()) {
        why.value().stringValue().ifPresent(reason -> fields.put("detail", reason));
      }
    }
    return fields;
  }

  private static OptionalInt dword(NtApi nt, Handle key, String name) {
    ValueResult value = nt.queryValueKey(key, UnicodeString.of(name));
    return value.status().isSuccess() && value.value().type() == RegType.REG_DWORD
        ? value.value().dwordValue() : OptionalInt.empty();
  }

  /**
   * The loaded drivers by the service that started them, service names compared as NT's registry
   * compares them, without regard to case; the first of the list wins.
   */
  static Map<String, DriverInfo> byService(List<DriverInfo> drivers) {
    Map<String, DriverInfo> index = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (DriverInfo driver : drivers) {
      index.putIfAbsent(driver.service(), driver);
    }
    return index;
  }

  /**
   * Not loaded is STOPPED. Loaded: with its unload requested or its DriverUnload invoked (running
   * now, or deferred) is STOP_PENDING; with DriverEntry not yet returned (no DRVO_INITIALIZED) is
   * START_PENDING; otherwise RUNNING.
   */
  static State stateOf(Optional<DriverInfo> driver) {
    return driver.map(ScCommand::stateOf).orElse(State.STOPPED);
  }

  static State stateOf(DriverInfo driver) {
    if (driver.unloadPending() || (driver.flags() & DriverFlags.DRVO_UNLOAD_INVOKED) != 0) {
      return State.STOP_PENDING;
    }
    return (driver.flags() & DriverFlags.DRVO_INITIALIZED) == 0 ? State.START_PENDING : State.RUNNING;
  }

  static String typeName(int type) {
    return switch (type) {
      case 1 -> "KERNEL_DRIVER";
      case 2 -> "FILE_SYSTEM_DRIVER";
      case 4 -> "ADAPTER";
      case 8 -> "RECOGNIZER_DRIVER";
      case 0x10 -> "WIN32_OWN_PROCESS";
      case 0x20 -> "WIN32_SHARE_PROCESS";
      default -> String.format("0x%X", type);
    };
  }

  static String startName(int start) {
    return switch (start) {
      case 0 -> "BOOT_START";
      case 1 -> "SYSTEM_START";
      case 2 -> "AUTO_START";
      case 3 -> "DEMAND_START";
      case 4 -> "DISABLED";
      default -> String.format("0x%X", start);
    };
  }

  // sc delete ------------------------------------------------------------------------------------

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete the service's key and everything below it; refused while its driver is loaded.")
  int delete(@Parameters(index = "0", paramLabel = "NAME") String name) {
    if (!validName(name)) {
      return ExitCodes.USAGE;
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      SystemResult<DriverInfo> drivers = nt.queryDrivers();
      if (!drivers.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot query the loaded drivers", drivers.status());
      }
      State state = stateOf(Optional.ofNullable(byService(drivers.rows()).get(name)));
      if (state != State.STOPPED) {
        // The SCM would mark a running service for deletion and delete it once stopped; without
        // an SCM to remember that, the key stays, and the caller is told why.
        return Printer.failed(root.err(), "cannot delete service " + name + ": its driver is loaded ("
            + state.name() + "); stop it first with 'ntio sc stop " + name + "'", NtStatus.STATUS_CANNOT_DELETE);
      }
      NtStatus deleted = RegCommand.deleteTree(nt, servicePath(name));
      if (!deleted.isSuccess()) {
        return Printer.failed(root.err(), "cannot delete service " + name, deleted);
      }
      root.out().println("[SC] DeleteService SUCCESS");
      return ExitCodes.SUCCESS;
    }
  }

  // ----------------------------------------------------------------------------------------------

  static String servicePath(String name) {
    return SERVICES + "\\" + name;
  }

  /** A service name is one key name: not empty, no backslash. Prints why not on stderr. */
  boolean validName(String name) {
    if (name.isEmpty() || name.contains("\\")) {
      root.err().println("ntio: a service name is one key name, without backslashes: " + name);
      return false;
    }
    return true;
  }
}
