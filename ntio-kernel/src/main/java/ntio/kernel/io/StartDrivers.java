package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import ntio.api.KeyNameResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.process.KThread;

/**
 * The drivers a system starts by itself (B42): every kernel driver or file system service whose
 * Start is boot (0), system (1) or auto (2), loaded with NtLoadDriver from the System process in
 * kernel mode, in NT's order. Models {@code IopInitializeBootDrivers} and
 * {@code IopInitializeSystemDrivers}, with the SCM's auto-start pass folded in (partial: one pass,
 * no OS loader, no Enum instances and no AddDevice for PnP drivers; ErrorControl and LastKnownGood
 * are not looked at).
 *
 * <p>The order: by Start; within a Start, by the position of the service's Group in
 * {@code Control\ServiceGroupOrder\List} (groups that list does not name come after the ones it
 * does, services with no Group last); within a group, by the position of the service's Tag in the
 * group's {@code Control\GroupOrderList} value (a DWORD count, then the tags; untagged or unlisted
 * services after the listed ones); then by service name. A failure is returned as that service's
 * outcome and the next service is loaded, as NT logs and skips a failing system driver. A bug check
 * stops the pass: the kernel has halted, and the services not reached are reported as
 * {@code STATUS_SYSTEM_SHUTDOWN}.
 */
public final class StartDrivers {

  /** The services key, as the loader is given it. */
  public static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";

  /** The key whose {@code List} value orders the groups. */
  public static final String SERVICE_GROUP_ORDER =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\ServiceGroupOrder";

  /** The key with one {@code REG_BINARY} tag list per group. */
  public static final String GROUP_ORDER_LIST =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\GroupOrderList";

  /** {@code SERVICE_BOOT_START}. */
  public static final int BOOT_START = 0;
  /** {@code SERVICE_SYSTEM_START}. */
  public static final int SYSTEM_START = 1;
  /** {@code SERVICE_AUTO_START}. */
  public static final int AUTO_START = 2;

  private static final int SERVICE_KERNEL_DRIVER = 1;
  private static final int SERVICE_FILE_SYSTEM_DRIVER = 2;

  /**
   * What happened to one start service.
   *
   * @param service the service name as the registry spells it
   * @param start its Start value (0, 1 or 2)
   * @param group its Group, or empty when it has none
   * @param status what NtLoadDriver returned; {@code STATUS_SYSTEM_SHUTDOWN} when a bug check
   *     halted the kernel during or before this load
   * @param detail the bug check that halted the kernel, described; else why the load failed
   *     ({@link ntio.api.DriverLoadResult#detail()}); empty on success
   */
  public record Outcome(String service, int start, String group, NtStatus status, String detail) {

    /** Whether the driver is loaded: NT_SUCCESS, or already loaded before this pass. */
    public boolean loaded() {
      return status.isSuccess() || status.equals(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
    }

    /** The Start value's name, as {@code sc qc} prints it: BOOT_START, SYSTEM_START, AUTO_START. */
    public String startName() {
      return startName(start);
    }

    /** The name of a Start value. */
    public static String startName(int start) {
      return switch (start) {
        case BOOT_START -> "BOOT_START";
        case SYSTEM_START -> "SYSTEM_START";
        case AUTO_START -> "AUTO_START";
        case 3 -> "DEMAND_START";
        case 4 -> "DISABLED";
        default -> "START_" + start;
      };
    }
  }

  /** A service picked for loading, with the keys it is ordered by. */
  private record Candidate(String service, int start, String group, int groupRank, int tagRank) {}

  /** The detail of a start service not loaded because an earlier one's bug check halted the kernel. */
  public static final String HALTED_BEFORE = "the kernel has halted";

  private final IoManager io;
  private final KThread system;
  /** Services (lower case) not to load in this pass, each with why. */
  private final Map<String, String> notStarted;

  private StartDrivers(IoManager io, Map<String, String> notStarted) {
    this.io = io;
    this.system = io.processes.systemThread();
    this.notStarted = notStarted.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
        e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> a));
  }

  /**
   * Loads every boot, system and auto start driver of the kernel's current control set, in B42's
   * order, and returns one outcome per service, in the order they were loaded. A missing Services
   * key means there is nothing to start.
   *
   * <p>Call it once, after boot, from a thread that is not a System worker (each load waits on
   * the delayed work queue).
   */
  public static List<Outcome> load(IoManager io) {
    return load(io, Map.of());
  }

  /**
   * As {@link #load(IoManager)}, leaving out the services of {@code notStarted} (a name, compared
   * without regard to case, and why): each gets {@code STATUS_CANCELLED} and the reason as its
   * detail. What a host's automatic reboot after a bug check does with the driver that raised it.
   */
  public static List<Outcome> load(IoManager io, Map<String, String> notStarted) {
    return new StartDrivers(io, notStarted).loadAll();
  }

  /** The start services in the order {@link #load} would load them, without loading anything. */
  public static List<String> order(IoManager io) {
    return new StartDrivers(io, Map.of()).candidates().stream().map(Candidate::service).toList();
  }

  private List<Outcome> loadAll() {
    List<Outcome> outcomes = new ArrayList<>();
    String halt = null;
    for (Candidate candidate : candidates()) {
      if (halt != null || io.bugChecks.isHalted()) {
        outcomes.add(outcome(candidate, NtStatus.STATUS_SYSTEM_SHUTDOWN,
            halt != null ? halt : HALTED_BEFORE));
        continue;
      }
      String skipped = notStarted.get(candidate.service().toLowerCase(Locale.ROOT));
      if (skipped != null) {
        outcomes.add(outcome(candidate, NtStatus.STATUS_CANCELLED, skipped));
        continue;
      }
      try {
        ntio.api.DriverLoadResult loaded = io.loading().ntLoadDriverDetailed(system,
            UnicodeString.of(SERVICES + "\\" + candidate.service()));
        outcomes.add(outcome(candidate, loaded.status(), loaded.detail()));
      } catch (BugCheckException e) {
        halt = e.bugCheck().describe();
        outcomes.add(outcome(candidate, NtStatus.STATUS_SYSTEM_SHUTDOWN, halt));
      }
    }
    return outcomes;
  }

  private static Outcome outcome(Candidate candidate, NtStatus status, String detail) {
    return new Outcome(candidate.service(), candidate.start(), candidate.group(), status, detail);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the registry

  private List<Candidate> candidates() {
    List<String> groupOrder = readValue(SERVICE_GROUP_ORDER, "List")
        .flatMap(RegValue::multiStringValue).orElse(List.of()).stream()
        .map(group -> group.toLowerCase(Locale.ROOT)).toList();
    List<Candidate> candidates = new ArrayList<>();
    Optional<Handle> services = openKey(SERVICES);
    if (services.isEmpty()) {
      return candidates;
    }
    try {
      for (int index = 0; ; index++) {
        KeyNameResult name = io.registry.ntEnumerateKey(system, services.get(), index);
        if (!name.status().isSuccess()) {
          break;
        }
        candidate(name.name(), groupOrder).ifPresent(candidates::add);
      }
    } finally {
      io.objects.close(services.get(), system);
    }
    candidates.sort(Comparator.comparingInt(Candidate::start)
        .thenComparingInt(Candidate::groupRank)
        .thenComparingInt(Candidate::tagRank)
        .thenComparing(Candidate::service, String.CASE_INSENSITIVE_ORDER));
    return candidates;
  }

  /** The service as a candidate when it is a kernel driver or file system that starts by itself. */
  private Optional<Candidate> candidate(String service, List<String> groupOrder) {
    String key = SERVICES + "\\" + service;
    OptionalInt start = dword(key, "Start");
    OptionalInt type = dword(key, "Type");
    if (start.isEmpty() || start.getAsInt() < BOOT_START || start.getAsInt() > AUTO_START
        || type.isEmpty()
        || (type.getAsInt() != SERVICE_KERNEL_DRIVER && type.getAsInt() != SERVICE_FILE_SYSTEM_DRIVER)) {
      return Optional.empty();
    }
    String group = readValue(key, "Group")
        .filter(value -> value.type() == RegType.REG_SZ || value.type() == RegType.REG_EXPAND_SZ)
        .flatMap(value -> value.type() == RegType.REG_SZ ? value.stringValue() : value.expandStringValue())
        .orElse("");
    int groupRank;
    int tagRank = Integer.MAX_VALUE;
    if (group.isEmpty()) {
      groupRank = Integer.MAX_VALUE;
    } else {
      int listed = groupOrder.indexOf(group.toLowerCase(Locale.ROOT));
      groupRank = listed >= 0 ? listed : groupOrder.size();
      OptionalInt tag = dword(key, "Tag");
      if (tag.isPresent()) {
        int position = tagOrder(group).indexOf(tag.getAsInt());
        tagRank = position >= 0 ? position : Integer.MAX_VALUE - 1;
      }
    }
    return Optional.of(new Candidate(service, start.getAsInt(), group, groupRank, tagRank));
  }

  /** The group's tags from GroupOrderList: a DWORD count, then that many DWORD tags. */
  private List<Integer> tagOrder(String group) {
    Optional<RegValue> value = readValue(GROUP_ORDER_LIST, group)
        .filter(v -> v.type() == RegType.REG_BINARY && v.dataLength() >= 4);
    if (value.isEmpty()) {
      return List.of();
    }
    ByteBuffer data = ByteBuffer.wrap(value.get().data()).order(ByteOrder.LITTLE_ENDIAN);
    long count = Integer.toUnsignedLong(data.getInt());
    List<Integer> tags = new ArrayList<>();
    for (long i = 0; i < count && data.remaining() >= 4; i++) {
      tags.add(data.getInt());
    }
    return tags;
  }

  private OptionalInt dword(String keyPath, String valueName) {
    Optional<RegValue> value = readValue(keyPath, valueName);
    return value.isPresent() ? value.get().dwordValue() : OptionalInt.empty();
  }

  private Optional<RegValue> readValue(String keyPath, String valueName) {
    return Optional.ofNullable(io.registry.queryKernelValues(system, keyPath, valueName).get(valueName));
  }

  private Optional<Handle> openKey(String keyPath) {
    OpenResult opened = io.registry.ntOpenKey(system, AccessMask.KEY_READ,
        new ObjectAttributes(Handle.NULL, UnicodeString.of(keyPath),
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
    return opened.status().isSuccess() ? Optional.of(opened.handle()) : Optional.empty();
  }
}
