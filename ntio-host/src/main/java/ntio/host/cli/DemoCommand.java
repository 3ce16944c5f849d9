package ntio.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import ntio.api.CrashDump;
import ntio.api.DirectoryEntry;
import ntio.api.IoResult;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.api.Privilege;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.CrashDumps;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.SystemDrivers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntio demo}: a guided tour on a fresh embedded kernel in a temporary state directory. It
 * shows what this build of ntio does, with the NT statuses as they come back.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "A guided tour on a fresh embedded kernel in a temporary state directory.")
final class DemoCommand implements Callable<Integer> {

  /*
   * The Stale sample's control codes, as a Windows tool takes them from its driver's public.h
   * (ntio.drivers.stale.StaleIoctl): the driver's classes are never on the host's class path.
   */
  private static final int IOCTL_STALE_ALLOCATE = IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN,
      0x800, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_WRITE_ACCESS);
  private static final int IOCTL_STALE_FREE_THEN_READ = IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN,
      0x801, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_WRITE_ACCESS);

  @picocli.CommandLine.ParentCommand
  NtioCommand root;

  @Option(names = "--keep", description = "Keep the temporary state directory and print where it is.")
  boolean keep;

  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    out = root.out();
    Path state = TemporaryDirectories.create("ntio-demo-");
    try {
      tour(state);
      return ExitCodes.SUCCESS;
    } finally {
      if (keep) {
        out.println("State directory kept: " + state);
      } else {
        TemporaryDirectories.delete(state);
      }
    }
  }

  private void tour(Path state) {
    out.println("ntio demo: a fresh kernel on " + state);
    Kernel kernel = Kernel.boot(KernelConfig.of(state));
    SystemDrivers drivers = new SystemDrivers(kernel);
    NtApi admin = LocalNt.administrator(kernel, "admin-tool", 1000);
    NtApi user = LocalNt.standardUser(kernel, "user-tool", 1001);
    String service = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Echo";
    try {
      step("1. The object namespace, as WinObj shows it");
      OpenResult rootDir = admin.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\"));
      for (DirectoryEntry entry : admin.queryDirectoryObject(rootDir.handle()).entries()) {
        out.println(String.format("   %-14s %-13s %s", entry.name(), entry.typeName(),
            entry.linkTarget() == null ? "" : "-> " + entry.linkTarget()).stripTrailing());
      }
      admin.close(rootDir.handle());

      step("2. A service key, written through CurrentControlSet");
      KeyCreateResult key = admin.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(service), 0);
      show("NtCreateKey(" + service + ")", key.status());
      admin.setValueKey(key.handle(), UnicodeString.of("Type"), RegType.REG_DWORD, RegValue.dword("", 1).data());
      admin.setValueKey(key.handle(), UnicodeString.of("Start"), RegType.REG_DWORD, RegValue.dword("", 3).data());
      admin.setValueKey(key.handle(), UnicodeString.of("ImagePath"), RegType.REG_EXPAND_SZ,
          RegValue.expandString("", "System32\\drivers\\Echo.jar").data());
      KeyInfoResult info = admin.queryKey(key.handle());
      out.println("   The key reports its resolved name (B9): " + info.info().path());
      out.println("   with " + info.info().valueCount() + " values: Type=1 (kernel driver), Start=3 (demand), ImagePath");
      admin.close(key.handle());

      step("3. Security: who may do what");
      OpenResult asUser = user.openKey(AccessMask.KEY_SET_VALUE, ObjectAttributes.of(service));
      show("A standard user opening the service key to write", asUser.status());
      show("An administrator enabling SeLoadDriverPrivilege (present, disabled)",
          admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());
      show("A standard user enabling SeLoadDriverPrivilege (absent)",
          user.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());

      step("4. Names live as long as NT says (B44)");
      OpenResult dir = admin.createDirectoryObject(AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\Demo"));
      show("NtCreateDirectoryObject(\\Demo), temporary", dir.status());
      OpenResult again = admin.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Demo"));
      show("Opening \\Demo while a handle is open", again.status());
      admin.close(dir.handle());
      admin.close(again.handle());
      show("Opening \\Demo after its last handle closed",
          admin.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Demo")).status());

      step("5. A driver image: load, open, I/O that pends and is cancelled, and an unload that waits for the last close");
      SampleDrivers.install(state, "Echo");
      UnicodeString echoService = UnicodeString.of(service);
      show("NtLoadDriver(Echo) by a standard user, who lacks SeLoadDriverPrivilege", user.loadDriver(echoService));
      show("NtLoadDriver(Echo) with SeLoadDriverPrivilege enabled", admin.loadDriver(echoService));
      show("NtLoadDriver(Echo) again", admin.loadDriver(echoService));
      OpenResult echo = admin.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of("\\??\\Echo"), 0, 0);
      show("NtCreateFile(\\??\\Echo)", echo.status());
      IoResult written = admin.writeFile(echo.handle(), "hello, ntio".getBytes(StandardCharsets.UTF_8), 0);
      out.println("   NtWriteFile: " + written.status() + ", " + written.information() + " bytes");
      IoResult read = admin.readFile(echo.handle(), 64, 0);
      out.println("   NtReadFile: " + read.status() + ", \"" + new String(read.data(), StandardCharsets.UTF_8) + "\"");
      PendingIo pending = admin.readFileAsync(echo.handle(), 64, 0);
      show("NtReadFile of the empty FIFO, overlapped: the IRP pends", pending.status());
      OpenResult other = user.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of("\\??\\Echo"), 0, 0);
      user.writeFile(other.handle(), "from another process".getBytes(StandardCharsets.UTF_8), 0);
      IoResult completed = await(pending);
      out.println("   Another process writes; the pending read completes: " + completed.status() + ", \""
          + new String(completed.data(), StandardCharsets.UTF_8) + "\"");
      PendingIo cancelled = admin.readFileAsync(echo.handle(), 64, 0);
      admin.cancelIoFile(echo.handle());
      show("A second pending read, after NtCancelIoFile", await(cancelled).status());
      user.close(other.handle());
      show("NtUnloadDriver(Echo) while the handle is open (deferred)", admin.unloadDriver(echoService));
      out.println("   \\Driver\\Echo still there: " + hasDriver(drivers, "\\Driver\\Echo"));
      show("A new open of \\??\\Echo while the unload waits", admin.createFile(AccessMask.GENERIC_READ,
          ObjectAttributes.of("\\??\\Echo"), 0, 0).status());
      show("NtClose of the last handle", admin.close(echo.handle()));
      awaitDriverGone(drivers, "\\Driver\\Echo", "Echo.jar");
      out.println("   \\Driver\\Echo still there: " + hasDriver(drivers, "\\Driver\\Echo") + " (DriverUnload ran)");
      show("NtLoadDriver(Echo) once more", admin.loadDriver(echoService));
      show("NtUnloadDriver(Echo), nothing open: unloads at once", admin.unloadDriver(echoService));

      step("6. A DriverEntry that fails after allocating: Leaky, then Tidy on the framework");
      String leakyService = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Leaky";
      setValues(admin, leakyService, RegValue.dword("Type", 1),
          RegValue.expandString("ImagePath", SampleDrivers.install(state, "Leaky")));
      show("NtLoadDriver(Leaky): DriverEntry's own status comes back (B10)", admin.loadDriver(UnicodeString.of(leakyService)));
      admin.queryPoolTags().rows().stream().filter(t -> t.tagString().equals("Leak"))
          .forEach(t -> out.println("   poolmon: tag Leak, " + t.outstanding() + " block(s), " + t.outstandingBytes()
              + " bytes still allocated — DriverUnload never runs after a failed DriverEntry"));
      // Setting the verifier's volatile settings is SeDebugPrivilege's (verifier /volatile).
      admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_DEBUG_PRIVILEGE)));
      admin.setVerifierVolatileSettings(VerifierSettings.parse("Tidy.jar", VerifierSettings.STANDARD_FLAGS));
      String tidyService = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Tidy";
      setValues(admin, tidyService, RegValue.dword("Type", 1),
          RegValue.expandString("ImagePath", SampleDrivers.install(state, "Tidy")));
      setValues(admin, tidyService + "\\Parameters", RegValue.dword("FailEntry", 1));
      show("NtLoadDriver(Tidy): the same failure written on the framework, under Driver Verifier",
          admin.loadDriver(UnicodeString.of(tidyService)));
      admin.queryVerifierStatistics().rows().stream()
          .filter(statistics -> statistics.imageName().equalsIgnoreCase("Tidy.jar")).findFirst().ifPresent(tidy -> out.println("   verifier /query: Tidy.jar "
          + tidy.allocations() + " allocations, " + tidy.frees() + " frees, " + tidy.outstanding()
          + " outstanding, " + tidy.findings().size() + " findings — the framework deleted its object tree"));
      verifierCatchesLeaky(state.resolve("leaky-under-verifier"));

      step("7. Pool with tags, and a use after free");
      out.println("   The sample Stale allocates in one IOCTL and frees, then reads, in another.");
      String staleService = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Stale";
      setValues(admin, staleService, RegValue.dword("Type", 1),
          RegValue.expandString("ImagePath", SampleDrivers.install(state, "Stale")));
      show("NtLoadDriver(Stale)", admin.loadDriver(UnicodeString.of(staleService)));
      OpenResult stale = admin.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of("\\Device\\Stale"), 0, 0);
      show("ExAllocatePoolWithTag(NonPaged, 64, 'Demo') in Stale's IOCTL", admin.deviceIoControlFile(stale.handle(),
          IOCTL_STALE_ALLOCATE, staleAllocation("Demo", 64), 0).status());
      admin.queryPoolTags().rows().stream().filter(t -> t.tagString().equals("Demo"))
          .forEach(t -> out.println("   tag Demo: " + t.outstanding() + " outstanding, " + t.outstandingBytes() + " bytes"));
      List<CrashDump> beforeStale = CrashDumps.list(state);
      show("Stale's other IOCTL frees the block, then reads it: a use after free", admin.deviceIoControlFile(
          stale.handle(), IOCTL_STALE_FREE_THEN_READ, new byte[0], 0).status());
      Optional<CrashDump> crash = newCrash(state, beforeStale);
      crash.ifPresentOrElse(this::showCrash, () -> out.println("   (not detected: this must never happen)"));
      show("Any system service once the kernel has halted",
          admin.openKey(AccessMask.KEY_READ, ObjectAttributes.of(service)).status());
      out.println("   crash report written: " + crash.map(report -> report.textFile().getFileName().toString()).orElse("none"));
    } finally {
      kernel.shutdown();
    }

    step("8. The registry survives a reboot");
    try (Kernel again = Kernel.boot(KernelConfig.of(state))) {
      NtApi tool = LocalNt.administrator(again, "admin-tool", 1000);
      OpenResult key = tool.openKey(AccessMask.KEY_READ, ObjectAttributes.of(service));
      show("NtOpenKey(Services\\Echo) after reboot", key.status());
      if (key.status().isSuccess()) {
        RegValue image = tool.queryValueKey(key.handle(), UnicodeString.of("ImagePath")).value();
        out.println("   ImagePath = " + image.expandStringValue().orElse("?"));
        tool.close(key.handle());
      }
    }
    out.println();
    out.println("See README.md for what this build does, how to write a driver, and how to run the tests.");
  }

  /**
   * Loads Leaky under Driver Verifier on a kernel of its own, booted on {@code state}: the unload
   * scan's bug check halts that kernel alone, and the tour goes on with its own.
   */
  private void verifierCatchesLeaky(Path state) {
    out.println("   On a second kernel (" + state.getFileName() + "), Leaky again, under Driver Verifier:");
    Kernel kernel = Kernel.boot(KernelConfig.of(state));
    try {
      NtApi admin = LocalNt.administrator(kernel, "admin-tool", 1000);
      admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE),
          LuidAndAttributes.enable(Privilege.SE_DEBUG_PRIVILEGE)));
      String leakyService = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Leaky";
      setValues(admin, leakyService, RegValue.dword("Type", 1),
          RegValue.expandString("ImagePath", SampleDrivers.install(state, "Leaky")));
      admin.setVerifierVolatileSettings(VerifierSettings.parse("Leaky.jar", VerifierSettings.STANDARD_FLAGS));
      show("NtLoadDriver(Leaky): the unload scan finds the leak and stops that kernel",
          admin.loadDriver(UnicodeString.of(leakyService)));
      newCrash(state, List.of()).ifPresentOrElse(this::showCrash,
          () -> out.println("   (not detected: this must never happen)"));
    } finally {
      kernel.shutdown();
    }
  }

  /** IOCTL_STALE_ALLOCATE's input: the tag's four characters, then the size, little-endian. */
  private static byte[] staleAllocation(String tag, int size) {
    return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .put(tag.getBytes(StandardCharsets.US_ASCII)).putInt(size).array();
  }

  /** The bug check, then the report's lines that name the driver and say what it did. */
  private void showCrash(CrashDump crash) {
    out.println("   bug check " + crash.stopLine());
    boolean inDetail = false;
    for (String line : crash.text().lines().toList()) {
      inDetail = (inDetail || line.startsWith("Driver:")) && !line.isBlank();
      if (inDetail) {
        out.println("   " + line);
      }
    }
  }

  /** The newest crash report on {@code state} that is not one of {@code earlier}, if any. */
  private static Optional<CrashDump> newCrash(Path state, List<CrashDump> earlier) {
    List<String> earlierIds = earlier.stream().map(CrashDump::id).toList();
    return CrashDumps.list(state).stream().filter(crash -> !earlierIds.contains(crash.id()))
        .max(Comparator.comparing(CrashDump::id));
  }

  private static boolean hasDriver(SystemDrivers drivers, String name) {
    return drivers.driver(name).isPresent();
  }

  /** The deferred unload runs on a System worker: give it the moment it needs. */
  /**
   * Waits until the driver's name is gone and its image unmapped: the name goes first, the image
   * when the driver object's last reference drops, on the System worker that ran DriverUnload. A
   * load in between would find the image still mapped (STATUS_IMAGE_ALREADY_LOADED), as on NT.
   */
  private static void awaitDriverGone(SystemDrivers drivers, String name, String imageName) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while ((hasDriver(drivers, name) || drivers.isImageMapped(imageName))
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** Creates {@code keyPath} (its parent must exist) and sets {@code values} in it, as an installer does. */
  private static void setValues(NtApi admin, String keyPath, RegValue... values) {
    KeyCreateResult key = admin.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyPath), 0);
    for (RegValue value : values) {
      admin.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data());
    }
    admin.close(key.handle());
  }

  /** The final outcome of an overlapped request, waiting at most ten seconds for it. */
  private static IoResult await(PendingIo request) {
    try {
      return request.completion().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for request " + request.id(), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("request " + request.id() + " did not complete", e);
    }
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }

  private void show(String what, NtStatus status) {
    out.println("   " + what + ": " + status);
  }
}
