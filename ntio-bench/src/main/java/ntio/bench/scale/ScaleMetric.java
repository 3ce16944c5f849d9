package ntio.bench.scale;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything the scale curves measure: which curve a figure belongs to, its name in the results,
 * what it is, and how it is judged. Times are recorded in nanoseconds, memory in bytes.
 */
enum ScaleMetric {
  SERVICES_BOOT("services", "boot", Kind.TOTAL_TIME,
      "host start with N demand-start service keys: HostRuntime.start (kernel boot, start-driver pass loading none, socket listener)"),
  SERVICES_BOOT_PER_SERVICE("services", "bootPerService", Kind.TIME_PER_OP,
      "host start: what each service key adds, (boot(N) - boot(N0)) / (N - N0)"),
  SERVICES_QUERY("services", "scQuery", Kind.TOTAL_TIME,
      "`ntio sc query` of every service: the real command on an embedded LocalNt client, no socket"),
  SERVICES_QUERY_PER_SERVICE("services", "scQueryPerService", Kind.TIME_PER_OP,
      "`sc query`: what each service adds, (query(N) - query(N0)) / (N - N0)"),
  AUTOSTART_BOOT("autostart", "boot", Kind.TOTAL_TIME,
      "host start with N auto-start services, each its own copy of the scale driver: all N loaded at start"),
  AUTOSTART_BOOT_PER_DRIVER("autostart", "bootPerDriver", Kind.TIME_PER_OP,
      "host start: what each auto-start driver adds, (boot(N) - boot(N0)) / (N - N0)"),
  AUTOSTART_QUERY("autostart", "scQuery", Kind.TOTAL_TIME,
      "`ntio sc query` of every service with their N drivers running"),
  AUTOSTART_QUERY_PER_SERVICE("autostart", "scQueryPerService", Kind.TIME_PER_OP,
      "`sc query` with the drivers running: what each service adds"),
  AUTOSTART_SHUTDOWN("autostart", "shutdown", Kind.TOTAL_TIME,
      "host shutdown: HostRuntime.shutdown unloads the N drivers in reverse load order, then the kernel stops"),
  AUTOSTART_SHUTDOWN_PER_DRIVER("autostart", "shutdownPerDriver", Kind.TIME_PER_OP,
      "host shutdown: what each running driver adds"),
  DRIVERS_LOAD("drivers", "load", Kind.TIME_PER_OP,
      "NtLoadDriver of N distinct services, each its own image file and class loader, all staying loaded"),
  DRIVERS_UNLOAD("drivers", "unload", Kind.TIME_PER_OP,
      "NtUnloadDriver of the same N, last loaded first"),
  DRIVERS_HEAP("drivers", "heapPerDriver", Kind.BYTES_PER_OBJECT,
      "heap per loaded driver after GC: driver object, its device, image, class loader and class mirror"),
  DRIVERS_METASPACE("drivers", "metaspacePerDriver", Kind.BYTES_PER_OBJECT,
      "metaspace per loaded driver: the image's class metadata, outside the heap"),
  DEVICES_CREATE("devices", "create", Kind.TIME_PER_OP,
      "IoCreateDevice of N named devices under one driver, from its IOCTL (batches of 1,000)"),
  DEVICES_OPEN_BY_NAME("devices", "openByName", Kind.TIME_PER_OP,
      "NtCreateFile of one of the N devices by name, then NtClose (20,000 random names)"),
  DEVICES_OB_LOOKUP("devices", "obLookup", Kind.TIME_PER_OP,
      "object manager lookup of one of the N devices by name, referenced and dereferenced (100,000 random names)"),
  DEVICES_UNLOAD("devices", "unloadPerDevice", Kind.TIME_PER_OP,
      "NtUnloadDriver of the driver holding the N devices, whose DriverUnload deletes them all, per device"),
  DEVICES_HEAP("devices", "heapPerDevice", Kind.BYTES_PER_OBJECT,
      "heap per device object after GC, no device extension", 2048),
  HANDLES_OPEN("handles", "open", Kind.TIME_PER_OP,
      "NtCreateFile of \\Device\\Null from one client process, N handles held"),
  HANDLES_CLOSE("handles", "close", Kind.TIME_PER_OP,
      "NtClose of those N handles, in the order opened"),
  HANDLES_RUNDOWN("handles", "rundownPerHandle", Kind.TIME_PER_OP,
      "terminating a client process that holds N handles (process rundown), per handle"),
  HANDLES_HEAP("handles", "heapPerHandle", Kind.BYTES_PER_OBJECT,
      "heap per open handle after GC: handle table entry and file object", 1024);

  /** How a figure is read. */
  enum Kind {
    /** Nanoseconds for the whole thing at size N: expected to grow linearly, charted as is. */
    TOTAL_TIME,
    /** Nanoseconds per object: expected to stay flat (within 2x) across the sizes. */
    TIME_PER_OP,
    /** Bytes per object after GC: judged against a target where there is one. */
    BYTES_PER_OBJECT
  }

  /**
   * The total a per-operation figure is derived from, {@code (T(N) - T(N0)) / (N - N0)}; empty for
   * a figure measured per operation directly.
   */
  Optional<ScaleMetric> derivedFrom() {
    return Optional.ofNullable(switch (this) {
      case SERVICES_BOOT_PER_SERVICE -> SERVICES_BOOT;
      case SERVICES_QUERY_PER_SERVICE -> SERVICES_QUERY;
      case AUTOSTART_BOOT_PER_DRIVER -> AUTOSTART_BOOT;
      case AUTOSTART_QUERY_PER_SERVICE -> AUTOSTART_QUERY;
      case AUTOSTART_SHUTDOWN_PER_DRIVER -> AUTOSTART_SHUTDOWN;
      default -> null;
    });
  }

  /** The flatness target: the largest per-operation figure of a curve over its smallest. */
  static final double FLAT_RATIO = 2.0;

  private final String curve;
  private final String label;
  private final Kind kind;
  private final String description;
  private final long targetBytes;

  ScaleMetric(String curve, String label, Kind kind, String description) {
    this(curve, label, kind, description, 0);
  }

  ScaleMetric(String curve, String label, Kind kind, String description, long targetBytes) {
    this.curve = curve;
    this.label = label;
    this.kind = kind;
    this.description = description;
    this.targetBytes = targetBytes;
  }

  String curve() {
    return curve;
  }

  String label() {
    return label;
  }

  Kind kind() {
    return kind;
  }

  String description() {
    return description;
  }

  /** The most bytes per object allowed, if the issue sets a target for this figure. */
  Optional<Long> targetBytes() {
    return targetBytes > 0 ? Optional.of(targetBytes) : Optional.empty();
  }

  /** The metric a curve's results name {@code label}. */
  static Optional<ScaleMetric> of(String curve, String label) {
    return Arrays.stream(values()).filter(m -> m.curve.equals(curve) && m.label.equals(label)).findFirst();
  }

  /** The metrics of one curve, in declaration order. */
  static List<ScaleMetric> ofCurve(String curve) {
    return Arrays.stream(values()).filter(m -> m.curve.equals(curve)).toList();
  }

  /** The curves, in declaration order. */
  static List<String> curves() {
    return Arrays.stream(values()).map(ScaleMetric::curve).distinct().toList();
  }
}
