package ntio.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import ntio.api.DriverStatistics;
import ntio.api.FaultSettings;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.Privilege;
import ntio.api.SystemResult;
import ntio.api.ValueResult;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio verifier}: Driver Verifier's settings and statistics, as {@code verifier.exe} (DV2)
 * manages them. The settings are the {@code VerifyDrivers} and {@code VerifyDriverLevel} values of
 * {@code HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management}, with ntio's
 * {@code VerifyFault…} values beside them for {@code /faults}; the kernel reads them at each load
 * of a driver, so a change takes effect at the driver's next load (where NT needs a reboot).
 */
@Command(name = "verifier", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Driver Verifier: choose the drivers and checks, see the statistics (verifier.exe).",
        "  ntio verifier --standard --driver Leaky.jar Tidy.jar",
        "  ntio verifier --flags 0x8 --faults 10000 --fault-delay 0 --driver Tidy.jar",
        "  ntio verifier --query | --querysettings | --reset"})
final class VerifierCommand implements Callable<Integer> {

  /** The key of DV1's values, as reg.exe spells it. */
  static final String MEMORY_MANAGEMENT_DISPLAY =
      "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management";

  /** The values this command writes, in the order it shows them. */
  static final List<String> VALUES = List.of("VerifyDrivers", "VerifyDriverLevel",
      VerifierSettings.FAULT_PROBABILITY_VALUE, VerifierSettings.FAULT_TAGS_VALUE,
      VerifierSettings.FAULT_DELAY_VALUE, VerifierSettings.FAULT_SEED_VALUE);

  /** The flag bits verifier /querysettings names (DV3). */
  static final Map<Integer, String> FLAG_NAMES = flagNames();

  @ParentCommand
  NtioCommand root;

  @Option(names = "--standard", description = "The standard checks: flags 0x209BB.")
  boolean standard;

  @Option(names = "--flags", paramLabel = "MASK", description = "These checks: a VerifyDriverLevel mask, hex (0x…) or decimal.")
  String flags;

  @Option(names = "--driver", arity = "1..*", paramLabel = "IMAGE", description = "The images to verify, such as Tidy.jar.")
  List<String> drivers;

  @Option(names = "--all", description = "Verify every driver (VerifyDrivers = *).")
  boolean all;

  @Option(names = "--faults", arity = "0..1", fallbackValue = "", paramLabel = "PROB",
      description = "Randomized low resources simulation (flag 0x4); PROB out of 10,000, default 600 (6 %%).")
  String faults;

  @Option(names = "--fault-tags", paramLabel = "TAGS",
      description = "With --faults: only pool tags matching these space-separated patterns (* and ? wildcards).")
  String faultTags;

  @Option(names = "--fault-delay", paramLabel = "MINUTES",
      description = "With --faults: minutes after boot before faults start. Default: 8, as NT.")
  Integer faultDelay;

  @Option(names = "--fault-seed", paramLabel = "SEED", description = "With --faults: the pseudo-random seed, hex or decimal.")
  String faultSeed;

  @Option(names = "--systematic", description = "Systematic low resources simulation (flag 0x40000).")
  boolean systematic;

  @Option(names = "--volatile", description = "Apply now, to loads from now on, without saving (needs SeDebugPrivilege).")
  boolean isVolatile;

  @Option(names = "--query", description = "Statistics of each verified driver, and the findings.")
  boolean query;

  @Option(names = "--querysettings", description = "The saved settings and the settings in effect.")
  boolean querySettings;

  @Option(names = "--reset", description = "Delete the saved settings.")
  boolean reset;

  @Option(names = "--json", description = "With --query or --querysettings: print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    boolean set = standard || flags != null;
    int actions = (set ? 1 : 0) + (query ? 1 : 0) + (querySettings ? 1 : 0) + (reset ? 1 : 0);
    if (actions != 1 || (standard && flags != null)) {
      return usage("give one of --standard, --flags MASK, --query, --querysettings or --reset");
    }
    if (!set && (drivers != null || all || faults != null || systematic || isVolatile || faultTags != null
        || faultDelay != null || faultSeed != null)) {
      return usage("--driver, --all, --faults, --systematic and --volatile go with --standard or --flags");
    }
    if (set && (drivers == null) == !all) {
      return usage("name the images to verify with --driver IMAGE..., or --all");
    }
    if (faults == null && (faultTags != null || faultDelay != null || faultSeed != null)) {
      return usage("--fault-tags, --fault-delay and --fault-seed go with --faults");
    }
    if (json && !query && !querySettings) {
      return usage("--json goes with --query or --querysettings");
    }
    if (set) {
      return apply();
    }
    try (Session session = root.session()) {
      if (query) {
        return query(session.nt());
      }
      if (querySettings) {
        return querySettings(session.nt());
      }
      return reset(session.nt());
    }
  }

  private int usage(String message) {
    root.err().println("ntio: verifier: " + message);
    return ExitCodes.USAGE;
  }

  // --standard / --flags -------------------------------------------------------------------------

  private int apply() {
    int mask;
    FaultSettings faultSettings = FaultSettings.DEFAULT;
    Long seed = null;
    Integer probability = null;
    try {
      mask = standard ? VerifierSettings.STANDARD_FLAGS : (int) parseNumber(flags, 0xFFFFFFFFL);
      if (faults != null) {
        mask |= VerifierSettings.LOW_RESOURCES_SIMULATION;
        probability = faults.isEmpty() ? null : (int) parseNumber(faults, Integer.MAX_VALUE);
        seed = faultSeed == null ? null : parseNumber(faultSeed, -1);
        faultSettings = FaultSettings.parse(probability, faultTags, faultDelay, seed);
      }
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    if (systematic) {
      mask |= VerifierSettings.SYSTEMATIC_LOW_RESOURCES;
    }
    String verifyDrivers = all ? "*" : String.join(" ", drivers);
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      if (isVolatile) {
        VerifierSettings settings = VerifierSettings.parse(verifyDrivers, mask).withFaults(faultSettings);
        // verifier /volatile is NtSetSystemInformation(SystemVerifierInformation): SeDebugPrivilege's.
        nt.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_DEBUG_PRIVILEGE)));
        NtStatus status = nt.setVerifierVolatileSettings(settings);
        if (!status.isSuccess()) {
          return Printer.failed(root.err(), "cannot apply the verifier settings", status);
        }
        root.out().println("Verified drivers: " + verifyDrivers);
        root.out().println("Flags: " + hex(mask));
        root.out().println("The new settings are in effect now, for every load from now on;"
            + " they are not saved and end with the kernel.");
        return ExitCodes.SUCCESS;
      }
      List<RegValue> values = new ArrayList<>(List.of(
          RegValue.string("VerifyDrivers", verifyDrivers), RegValue.dword("VerifyDriverLevel", mask)));
      if (faults != null) {
        if (probability != null) {
          values.add(RegValue.dword(VerifierSettings.FAULT_PROBABILITY_VALUE, probability));
        }
        if (faultTags != null) {
          values.add(RegValue.string(VerifierSettings.FAULT_TAGS_VALUE, faultTags));
        }
        if (faultDelay != null) {
          values.add(RegValue.dword(VerifierSettings.FAULT_DELAY_VALUE, faultDelay));
        }
        if (seed != null) {
          values.add(RegValue.qword(VerifierSettings.FAULT_SEED_VALUE, seed));
        }
      }
      KeyCreateResult key = nt.createKey(AccessMask.KEY_READ | AccessMask.KEY_WRITE,
          ObjectAttributes.of(VerifierSettings.REGISTRY_KEY), 0);
      if (!key.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot open " + MEMORY_MANAGEMENT_DISPLAY, key.status());
      }
      try {
        // The settings are replaced as a whole: a /faults value of an earlier run must not linger.
        NtStatus cleared = deleteValues(nt, key.handle());
        if (!cleared.isSuccess()) {
          return Printer.failed(root.err(), "cannot clear the earlier verifier settings", cleared);
        }
        for (RegValue value : values) {
          NtStatus status = nt.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data());
          if (!status.isSuccess()) {
            return Printer.failed(root.err(), "cannot set " + value.name(), status);
          }
        }
        nt.flushKey(key.handle());
      } finally {
        nt.close(key.handle());
      }
      root.out().println(MEMORY_MANAGEMENT_DISPLAY);
      for (RegValue value : values) {
        root.out().println("    " + value.name() + "    " + typeName(value) + "    " + RegCommand.format(value));
      }
      root.out().println();
      root.out().println("The new settings take effect at the next load of each driver.");
      return ExitCodes.SUCCESS;
    }
  }

  private static String typeName(RegValue value) {
    return ntio.ddk.RegType.name(value.type());
  }

  /** Deletes every value this command writes; a value that is not there is no failure. */
  private static NtStatus deleteValues(NtApi nt, Handle key) {
    for (String name : VALUES) {
      NtStatus status = nt.deleteValueKey(key, UnicodeString.of(name));
      if (!status.isSuccess() && !status.equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
        return status;
      }
    }
    return NtStatus.STATUS_SUCCESS;
  }

  // --reset --------------------------------------------------------------------------------------

  private int reset(NtApi nt) {
    var key = nt.openKey(AccessMask.KEY_READ | AccessMask.KEY_SET_VALUE, ObjectAttributes.of(VerifierSettings.REGISTRY_KEY));
    if (!key.status().isSuccess()) {
      return Printer.failed(root.err(), "cannot open " + MEMORY_MANAGEMENT_DISPLAY, key.status());
    }
    try {
      NtStatus status = deleteValues(nt, key.handle());
      if (!status.isSuccess()) {
        return Printer.failed(root.err(), "cannot delete the verifier settings", status);
      }
      nt.flushKey(key.handle());
    } finally {
      nt.close(key.handle());
    }
    root.out().println("No drivers will be verified. The new settings take effect at the next load of each driver.");
    return ExitCodes.SUCCESS;
  }

  // --query --------------------------------------------------------------------------------------

  private int query(NtApi nt) {
    SystemResult<DriverStatistics> statistics = nt.queryVerifierStatistics();
    if (!statistics.status().isSuccess()) {
      return Printer.failed(root.err(), "cannot query the verifier's statistics", statistics.status());
    }
    SystemResult<VerifierFinding> findings = nt.queryVerifierFindings();
    if (!findings.status().isSuccess()) {
      return Printer.failed(root.err(), "cannot query the verifier's findings", findings.status());
    }
    List<Map<String, Object>> driverRows = new ArrayList<>();
    for (DriverStatistics s : statistics.rows()) {
      driverRows.add(Printer.fields("image", s.imageName(), "loaded", s.loaded(), "flags", hex(s.flags()),
          "allocations", s.allocations(), "frees", s.frees(), "outstanding", s.outstanding(), "peak", s.peak(),
          "faultsInjected", s.faultsInjected(), "systematicFaultsInjected", s.systematicFaultsInjected(),
          "findings", findingRows(s.findings())));
    }
    if (json) {
      Printer.json(root.out(), Printer.fields("drivers", driverRows, "findings", findingRows(findings.rows())));
      return ExitCodes.SUCCESS;
    }
    if (driverRows.isEmpty()) {
      root.out().println("No driver has been verified since the kernel started.");
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (DriverStatistics s : statistics.rows()) {
        rows.add(List.of(s.imageName(), s.loaded() ? "yes" : "no", hex(s.flags()), Long.toString(s.allocations()),
            Long.toString(s.frees()), Long.toString(s.outstanding()), Long.toString(s.peak()),
            Long.toString(s.faultsInjected()), Long.toString(s.systematicFaultsInjected()),
            Integer.toString(s.findings().size())));
      }
      Printer.table(root.out(), List.of("Image", "Loaded", "Flags", "Allocs", "Frees", "Outstanding", "Peak",
          "Faults", "Systematic", "Findings"), rows);
    }
    root.out().println();
    if (findings.rows().isEmpty()) {
      root.out().println("No findings.");
    } else {
      root.out().println("Findings:");
      List<List<String>> rows = new ArrayList<>();
      for (VerifierFinding f : findings.rows()) {
        rows.add(List.of(String.valueOf(f.at()), f.imageName(), f.check(), f.message()));
      }
      Printer.table(root.out(), List.of("Time", "Image", "Check", "Message"), rows);
    }
    return ExitCodes.SUCCESS;
  }

  private static List<Map<String, Object>> findingRows(List<VerifierFinding> findings) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (VerifierFinding f : findings) {
      rows.add(Printer.fields("time", String.valueOf(f.at()), "image", f.imageName(), "check", f.check(),
          "message", f.message()));
    }
    return rows;
  }

  // --querysettings ------------------------------------------------------------------------------

  private int querySettings(NtApi nt) {
    var key = nt.openKey(AccessMask.KEY_READ, ObjectAttributes.of(VerifierSettings.REGISTRY_KEY));
    List<RegValue> saved = new ArrayList<>();
    if (key.status().isSuccess()) {
      try {
        for (String name : VALUES) {
          ValueResult value = nt.queryValueKey(key.handle(), UnicodeString.of(name));
          if (value.status().isSuccess()) {
            saved.add(value.value());
          }
        }
      } finally {
        nt.close(key.handle());
      }
    } else if (!key.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      return Printer.failed(root.err(), "cannot open " + MEMORY_MANAGEMENT_DISPLAY, key.status());
    }
    SystemResult<VerifierSettings> inEffect = nt.queryVerifierSettings();
    if (!inEffect.status().isSuccess()) {
      return Printer.failed(root.err(), "cannot query the verifier's settings", inEffect.status());
    }
    VerifierSettings settings = inEffect.rows().get(0);
    boolean verifying = settings.flags() != 0 && (settings.allImages() || !settings.images().isEmpty());
    List<String> images = settings.allImages() ? List.of("*") : settings.images().stream().sorted().toList();
    List<Map<String, Object>> flagRows = new ArrayList<>();
    FLAG_NAMES.forEach((bit, name) -> {
      if ((settings.flags() & bit) != 0) {
        flagRows.add(Printer.fields("flag", hex(bit), "name", name));
      }
    });
    FaultSettings f = settings.faults();
    boolean faultsOn = (settings.flags() & VerifierSettings.LOW_RESOURCES_SIMULATION) != 0;
    if (json) {
      List<Map<String, Object>> savedRows = new ArrayList<>();
      for (RegValue value : saved) {
        savedRows.add(RegCommand.describe(value));
      }
      Map<String, Object> effect = new LinkedHashMap<>();
      effect.put("drivers", verifying ? images : List.of());
      effect.put("flags", hex(settings.flags()));
      effect.put("checks", flagRows);
      effect.put("faults", faultsOn ? Printer.fields("probability", f.probability(), "tags", f.tags(),
          "delayMinutes", f.delay().toMinutes(), "seed", "0x" + Long.toHexString(f.seed()).toUpperCase(java.util.Locale.ROOT)) : null);
      Printer.json(root.out(), Printer.fields("key", MEMORY_MANAGEMENT_DISPLAY, "saved", savedRows, "inEffect", effect));
      return ExitCodes.SUCCESS;
    }
    root.out().println("Saved settings (" + MEMORY_MANAGEMENT_DISPLAY + "):");
    if (saved.isEmpty()) {
      root.out().println("    (none)");
    }
    for (RegValue value : saved) {
      root.out().println("    " + value.name() + "    " + typeName(value) + "    " + RegCommand.format(value));
    }
    root.out().println();
    root.out().println("Settings in effect for the next load:");
    root.out().println("    Verified drivers: " + (verifying ? String.join(" ", images) : "none"));
    root.out().println("    Flags: " + hex(settings.flags()));
    for (Map<String, Object> row : flagRows) {
      root.out().println("        " + row.get("flag") + "  " + row.get("name"));
    }
    if (faultsOn) {
      root.out().println("    Faults: probability " + f.probability() + "/" + FaultSettings.PROBABILITY_SCALE
          + ", tags " + (f.tags().isEmpty() ? "(all)" : String.join(" ", f.tags())) + ", delay "
          + f.delay().toMinutes() + " minute(s) after boot, seed 0x"
          + Long.toHexString(f.seed()).toUpperCase(java.util.Locale.ROOT));
    }
    return ExitCodes.SUCCESS;
  }

  // ----------------------------------------------------------------------------------------------

  static String hex(int value) {
    return String.format("0x%08X", value);
  }

  /** A number as verifier takes it: hex with 0x, else decimal; {@code max} -1 for any 64-bit value. */
  static long parseNumber(String text, long max) {
    String t = text.trim();
    long value;
    try {
      value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + text, e);
    }
    if (max != -1 && (value < 0 || value > max)) {
      throw new IllegalArgumentException(text + " is out of range");
    }
    return value;
  }

  private static Map<Integer, String> flagNames() {
    Map<Integer, String> names = new LinkedHashMap<>();
    names.put(0x1, "Special pool");
    names.put(0x2, "Force IRQL checking");
    names.put(0x4, "Randomized low resources simulation");
    names.put(0x8, "Pool tracking");
    names.put(0x10, "I/O verification");
    names.put(0x20, "Deadlock detection");
    names.put(0x80, "DMA checking");
    names.put(0x100, "Security checks");
    names.put(0x200, "Force pending I/O requests");
    names.put(0x400, "IRP logging");
    names.put(0x800, "Miscellaneous checks");
    names.put(0x2000, "Invariant MDL checking for stack");
    names.put(0x4000, "Invariant MDL checking for driver");
    names.put(0x8000, "Power framework delay fuzzing");
    names.put(0x10000, "Port/miniport interface checking");
    names.put(0x20000, "DDI compliance checking");
    names.put(0x40000, "Systematic low resources simulation");
    names.put(0x80000, "DDI compliance checking (additional)");
    names.put(0x200000, "NDIS/WIFI verification");
    names.put(0x800000, "Kernel synchronization delay fuzzing");
    names.put(0x1000000, "VM switch verification");
    names.put(0x2000000, "Code integrity checks");
    return java.util.Collections.unmodifiableMap(names);
  }
}
