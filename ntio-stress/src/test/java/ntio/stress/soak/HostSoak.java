package ntio.stress.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import ntio.api.DriverInfo;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;
import ntio.host.wire.RemoteNt;
import ntio.kernel.Kernel;

/**
 * A bounded soak of a real {@code ntio host}: Null and Echo loaded, then a mix of clients for a
 * fixed time — well-behaved ones whose every result is checked, and ones that disconnect in the
 * middle of requests, stall (send, never read), or connect and never say hello. At the end every
 * client is gone, Echo's opens are back to 0, both drivers unload at once, and the host's heap is
 * measured against its heap at the start (both after collections).
 *
 * <p>The host and its clients share this JVM, so the heap figure is the host's only once every
 * client has ended: the soak measures it then.
 */
final class HostSoak {

  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  /** How many clients of each kind run at once. */
  record Mix(int wellBehaved, int droppers, int stallers, int idlers) {
    int total() {
      return wellBehaved + droppers + stallers + idlers;
    }
  }

  /** What a soak saw. Heaps are bytes in use after collections. */
  record Result(Duration duration, Mix mix, long wellBehavedOperations, long wellBehavedErrors, String firstErrors,
      long rounds, double meanRoundMillis, double slowestRoundMillis, Map<String, Long> events,
      int echoOpensAtEnd, NtStatus echoUnload, NtStatus nullUnload, boolean driversGone, int hostThreadsAtStart,
      int hostThreadsAtEnd, long heapAtStart, long heapAtEnd) {

    /** End heap over start heap. */
    double heapRatio() {
      return (double) heapAtEnd / heapAtStart;
    }

    /** The figures as a Markdown table, for the log and docs/security.md. */
    String report() {
      StringBuilder out = new StringBuilder();
      out.append("| figure | value |\n|---|--:|\n");
      row(out, "duration", duration.toSeconds() + " s");
      row(out, "clients (well-behaved / disconnecting / stalling / idle)",
          mix.wellBehaved() + " / " + mix.droppers() + " / " + mix.stallers() + " / " + mix.idlers());
      row(out, "well-behaved operations checked", String.format("%,d", wellBehavedOperations));
      row(out, "well-behaved errors", String.valueOf(wellBehavedErrors));
      row(out, "well-behaved rounds (mean / slowest)",
          String.format("%,d (%.1f ms / %.0f ms)", rounds, meanRoundMillis, slowestRoundMillis));
      events.forEach((name, count) -> row(out, name, String.format("%,d", count)));
      row(out, "Echo opens at the end", String.valueOf(echoOpensAtEnd));
      row(out, "unload Echo / Null", echoUnload.name() + " / " + nullUnload.name());
      row(out, "both drivers gone after unload", String.valueOf(driversGone));
      row(out, "host threads at start / end", hostThreadsAtStart + " / " + hostThreadsAtEnd);
      row(out, "heap at start / end (after GC)",
          String.format("%.1f MiB / %.1f MiB (%.2fx)", heapAtStart / 1048576.0, heapAtEnd / 1048576.0, heapRatio()));
      return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
      out.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
  }

  private HostSoak() {}

  /**
   * Runs a host on {@code state} (options adjusted by {@code configure}) under {@code mix} for
   * {@code duration}, and shuts it down.
   */
  static Result run(Path state, Duration duration, Mix mix, UnaryOperator<HostOptions> configure)
      throws InterruptedException {
    HostRuntime host = HostRuntime.start(configure.apply(HostOptions.of(state).withShutdownHook(false)));
    try {
      return soak(host, duration, mix);
    } finally {
      host.shutdown();
    }
  }

  private static Result soak(HostRuntime host, Duration duration, Mix mix) throws InterruptedException {
    Path socket = host.socketPath();
    try (RemoteNt admin = connect(socket, "soak-admin")) {
      enableLoadDriver(admin);
      for (String driver : List.of("Null", "Echo")) {
        install(host.kernel(), admin, driver);
        check(admin.loadDriver(UnicodeString.of(SERVICES + driver)), "load " + driver);
      }
    }
    int hostThreadsAtStart = hostThreads();
    long heapAtStart = settledHeap();

    SoakTally tally = new SoakTally();
    SoakClients clients = new SoakClients(socket, tally, System.nanoTime() + duration.toNanos());
    List<Thread> threads = new ArrayList<>();
    spawn(threads, "soak-good", mix.wellBehaved(), clients::wellBehaved);
    spawn(threads, "soak-drop", mix.droppers(), clients::disconnectsMidRequest);
    spawn(threads, "soak-stall", mix.stallers(), clients::stalls);
    spawn(threads, "soak-idle", mix.idlers(), clients::idles);
    long joinDeadline = System.nanoTime() + duration.toNanos() + Duration.ofSeconds(60).toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
      if (thread.isAlive()) {
        tally.error(thread.getName() + " did not end within a minute of the soak's end");
      }
    }

    int echoOpens;
    NtStatus echoUnload;
    NtStatus nullUnload;
    boolean gone;
    try (RemoteNt admin = connect(socket, "soak-admin")) {
      enableLoadDriver(admin);
      echoOpens = poll(() -> echoOpens(admin), opens -> opens == 0, Duration.ofSeconds(20));
      echoUnload = admin.unloadDriver(UnicodeString.of(SERVICES + "Echo"));
      nullUnload = admin.unloadDriver(UnicodeString.of(SERVICES + "Null"));
      gone = poll(() -> driversGone(admin), Boolean::booleanValue, Duration.ofSeconds(20));
    }
    // The host's idle call threads end a few seconds after the last client (SocketServer's
    // IDLE_THREAD_SECONDS); the heap is the host's own once only the threads it started with remain.
    int hostThreadsAtEnd = poll(HostSoak::hostThreads, now -> now <= hostThreadsAtStart, Duration.ofSeconds(30));
    long heapAtEnd = settledHeap();
    return new Result(duration, mix, tally.wellBehavedOperations(), tally.wellBehavedErrors(), tally.firstErrors(),
        tally.rounds(), tally.meanRoundMillis(), tally.slowestRoundMillis(), tally.events(), echoOpens, echoUnload,
        nullUnload, gone, hostThreadsAtStart, hostThreadsAtEnd, heapAtStart, heapAtEnd);
  }

  private static void spawn(List<Thread> threads, String kind, int count, IntConsumer body) {
    for (int i = 0; i < count; i++) {
      int number = i;
      Thread thread = new Thread(() -> body.accept(number), kind + "-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  private static RemoteNt connect(Path socket, String name) {
    try {
      return RemoteNt.connect(socket, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void enableLoadDriver(RemoteNt admin) {
    check(admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status(),
        "enable SeLoadDriverPrivilege");
  }

  /** Copies a sample image into the host's drivers directory and writes its service key, as an installer does. */
  private static void install(Kernel kernel, RemoteNt admin, String name) {
    Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    try (InputStream image = HostSoak.class.getResourceAsStream("/ntio/drivers/" + name + ".jar")) {
      if (image == null) {
        throw new IllegalStateException("the host's classes carry no sample " + name + ".jar");
      }
      Files.createDirectories(drivers);
      Files.copy(image, drivers.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KeyCreateResult key = admin.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(SERVICES + name), 0);
    check(key.status(), "create the service key of " + name);
    for (RegValue value : List.of(RegValue.dword("Type", 1), RegValue.dword("Start", 3),
        RegValue.expandString("ImagePath", "System32\\drivers\\" + name + ".jar"))) {
      check(admin.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data()),
          "set " + name + "'s " + value.name());
    }
    check(admin.close(key.handle()), "close the service key of " + name);
  }

  private static int echoOpens(RemoteNt admin) {
    return admin.queryDrivers().rows().stream().filter(d -> d.service().equalsIgnoreCase("Echo"))
        .mapToInt(DriverInfo::openReferences).sum();
  }

  private static boolean driversGone(RemoteNt admin) {
    return admin.queryDrivers().rows().stream()
        .noneMatch(d -> d.service().equalsIgnoreCase("Echo") || d.service().equalsIgnoreCase("Null"));
  }

  /** The live threads the host made (their names start with {@code ntio-}). */
  static int hostThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("ntio-")).count();
  }

  /** Asks {@code probe} until {@code done} holds of its answer or {@code limit} passes; the last answer. */
  private static <T> T poll(Supplier<T> probe, Predicate<T> done, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    T answer = probe.get();
    while (!done.test(answer) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      answer = probe.get();
    }
    return answer;
  }

  /** Heap in use after the collector has had its say, as a stable figure. */
  static long settledHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void check(NtStatus status, String what) {
    if (!status.isSuccess()) {
      throw new IllegalStateException(what + ": " + status);
    }
  }
}
