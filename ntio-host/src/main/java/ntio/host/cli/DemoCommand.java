package ntio.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import ntio.api.CrashDump;
import ntio.api.DirectoryEntry;
import ntio.api.IoResult;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.CrashDumps;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.io.IoRequest;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntio demo}: a guided tour on a fresh embedded kernel in a temporary state directory. It
 * shows what this build of ntio does, with the NT statuses as they come back.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "A guided tour on a fresh embedded kernel in a temporary state directory.")
final class DemoCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  NtioCommand root;

  @Option(names = "--keep", description = "Keep the temporary state directory and print where it is.")
  boolean keep;

  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    out = root.out();
    Path state = Files.createTempDirectory("ntio-demo-");
    try {
      tour(state);
      return ExitCodes.SUCCESS;
    } finally {
      if (keep) {
        out.println("State directory kept: " + state);
      } else {
        deleteTree(state);
      }
    }
  }

  private void tour(Path state) {
    out.println("ntio demo: a fresh kernel on " + state);
    Kernel kernel = Kernel.boot(KernelConfig.of(state));
    SystemServices nt = kernel.services();
    KThread admin = kernel.administratorSession("admin-tool", Sid.unixUser(1000));
    KThread user = kernel.userSession("user-tool", Sid.unixUser(1001));
    String service = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Echo";
    try {
      step("1. The object namespace, as WinObj shows it");
      OpenResult rootDir = nt.ntOpenDirectoryObject(admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\"));
      for (DirectoryEntry entry : nt.ntQueryDirectoryObject(admin, rootDir.handle()).entries()) {
        out.println(String.format("   %-14s %-13s %s", entry.name(), entry.typeName(),
            entry.linkTarget() == null ? "" : "-> " + entry.linkTarget()).stripTrailing());
      }
      nt.ntClose(admin, rootDir.handle());

      step("2. A service key, written through CurrentControlSet");
      KeyCreateResult key = nt.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(service), 0);
      show("NtCreateKey(" + service + ")", key.status());
      nt.ntSetValueKey(admin, key.handle(), UnicodeString.of("Type"), RegType.REG_DWORD, RegValue.dword("", 1).data());
      nt.ntSetValueKey(admin, key.handle(), UnicodeString.of("Start"), RegType.REG_DWORD, RegValue.dword("", 3).data());
      nt.ntSetValueKey(admin, key.handle(), UnicodeString.of("ImagePath"), RegType.REG_EXPAND_SZ,
          RegValue.expandString("", "System32\\drivers\\Echo.jar").data());
      KeyInfoResult info = nt.ntQueryKey(admin, key.handle());
      out.println("   The key reports its resolved name (B9): " + info.info().path());
      out.println("   with " + info.info().valueCount() + " values: Type=1 (kernel driver), Start=3 (demand), ImagePath");
      nt.ntClose(admin, key.handle());

      step("3. Security: who may do what");
      OpenResult asUser = nt.ntOpenKey(user, AccessMask.KEY_SET_VALUE, ObjectAttributes.of(service));
      show("A standard user opening the service key to write", asUser.status());
      show("An administrator enabling SeLoadDriverPrivilege (present, disabled)",
          nt.ntAdjustPrivilegesToken(admin, List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());
      show("A standard user enabling SeLoadDriverPrivilege (absent)",
          nt.ntAdjustPrivilegesToken(user, List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());

      step("4. Names live as long as NT says (B44)");
      OpenResult dir = nt.ntCreateDirectoryObject(admin, AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\Demo"));
      show("NtCreateDirectoryObject(\\Demo), temporary", dir.status());
      OpenResult again = nt.ntOpenDirectoryObject(admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Demo"));
      show("Opening \\Demo while a handle is open", again.status());
      nt.ntClose(admin, dir.handle());
      nt.ntClose(admin, again.handle());
      show("Opening \\Demo after its last handle closed",
          nt.ntOpenDirectoryObject(admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Demo")).status());

      step("5. A driver image: load, open, I/O that pends and is cancelled, and an unload that waits for the last close");
      SampleDrivers.install(state, "Echo");
      UnicodeString echoService = UnicodeString.of(service);
      show("NtLoadDriver(Echo) by a standard user, who lacks SeLoadDriverPrivilege", nt.ntLoadDriver(user, echoService));
      show("NtLoadDriver(Echo) with SeLoadDriverPrivilege enabled", nt.ntLoadDriver(admin, echoService));
      show("NtLoadDriver(Echo) again", nt.ntLoadDriver(admin, echoService));
      OpenResult echo = nt.ntCreateFile(admin, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of("\\??\\Echo"), 0, 0);
      show("NtCreateFile(\\??\\Echo)", echo.status());
      IoResult written = nt.ntWriteFile(admin, echo.handle(), "hello, ntio".getBytes(StandardCharsets.UTF_8), 0);
      out.println("   NtWriteFile: " + written.status() + ", " + written.information() + " bytes");
      IoResult read = nt.ntReadFile(admin, echo.handle(), 64, 0);
      out.println("   NtReadFile: " + read.status() + ", \"" + new String(read.data(), StandardCharsets.UTF_8) + "\"");
      IoRequest pending = nt.ntReadFileAsync(admin, echo.handle(), 64, 0, null);
      show("NtReadFile of the empty FIFO, overlapped: the IRP pends", pending.status());
      OpenResult other = nt.ntCreateFile(user, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of("\\??\\Echo"), 0, 0);
      nt.ntWriteFile(user, other.handle(), "from another process".getBytes(StandardCharsets.UTF_8), 0);
      pending.await(java.time.Duration.ofSeconds(10));
      out.println("   Another process writes; the pending read completes: " + pending.status() + ", \""
          + new String(pending.data(), StandardCharsets.UTF_8) + "\"");
      IoRequest cancelled = nt.ntReadFileAsync(admin, echo.handle(), 64, 0, null);
      nt.ntCancelIoFile(admin, echo.handle());
      show("A second pending read, after NtCancelIoFile", cancelled.status());
      nt.ntClose(user, other.handle());
      show("NtUnloadDriver(Echo) while the handle is open (deferred)", nt.ntUnloadDriver(admin, echoService));
      out.println("   \\Driver\\Echo still there: " + hasDriver(kernel, "\\Driver\\Echo"));
      show("A new open of \\??\\Echo while the unload waits", nt.ntCreateFile(admin, AccessMask.GENERIC_READ,
          ObjectAttributes.of("\\??\\Echo"), 0, 0).status());
      show("NtClose of the last handle", nt.ntClose(admin, echo.handle()));
      awaitDriverGone(kernel, "\\Driver\\Echo", "Echo.jar");
      out.println("   \\Driver\\Echo still there: " + hasDriver(kernel, "\\Driver\\Echo") + " (DriverUnload ran)");
      show("NtLoadDriver(Echo) once more", nt.ntLoadDriver(admin, echoService));
      show("NtUnloadDriver(Echo), nothing open: unloads at once", nt.ntUnloadDriver(admin, echoService));

      step("6. A DriverEntry that fails after allocating: Leaky, then Tidy on the framework");
      String leakyService = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Leaky";
      setValues(nt, admin, leakyService, RegValue.dword("Type", 1),
          RegValue.expandString("ImagePath", SampleDrivers.install(state, "Leaky")));
      show("NtLoadDriver(Leaky): DriverEntry's own status comes back (B10)", nt.ntLoadDriver(admin, UnicodeString.of(leakyService)));
      kernel.pool().usageByTag().stream().filter(t -> t.tagString().equals("Leak"))
          .forEach(t -> out.println("   poolmon: tag Leak, " + t.outstanding() + " block(s), " + t.outstandingBytes()
              + " bytes still allocated — DriverUnload never runs after a failed DriverEntry"));
      kernel.io().verifier().setVolatileSettings(
          VerifierSettings.parse("Tidy.jar", VerifierSettings.STANDARD_FLAGS));
      String tidyService = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Tidy";
      setValues(nt, admin, tidyService, RegValue.dword("Type", 1),
          RegValue.expandString("ImagePath", SampleDrivers.install(state, "Tidy")));
      setValues(nt, admin, tidyService + "\\Parameters", RegValue.dword("FailEntry", 1));
      show("NtLoadDriver(Tidy): the same failure written on the framework, under Driver Verifier",
          nt.ntLoadDriver(admin, UnicodeString.of(tidyService)));
      kernel.io().verifier().query("Tidy.jar").ifPresent(tidy -> out.println("   verifier /query: Tidy.jar "
          + tidy.allocations() + " allocations, " + tidy.frees() + " frees, " + tidy.outstanding()
          + " outstanding, " + tidy.findings().size() + " findings — the framework deleted its object tree"));

      step("7. Pool with tags, and a use after free");
      AllocationResult block = kernel.pool().allocate(PoolType.NON_PAGED, 64, PoolTag.of("Demo"), PoolOwner.KERNEL);
      show("ExAllocatePoolWithTag(NonPaged, 64, 'Demo')", block.status());
      kernel.pool().usageByTag().stream().filter(t -> t.tagString().equals("Demo"))
          .forEach(t -> out.println("   tag Demo: " + t.outstanding() + " outstanding, " + t.outstandingBytes() + " bytes"));
      kernel.pool().free(block.allocation(), PoolTag.of("Demo"));
      out.println("   freed; reading it again is a use after free:");
      try {
        block.allocation().getByte(0);
        out.println("   (not detected: this must never happen)");
      } catch (BugCheckException e) {
        out.println("   bug check " + e.bugCheck().describe());
      }
      show("Any system service once the kernel has halted",
          nt.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(service)).status());
      List<CrashDump> reports = CrashDumps.list(state);
      out.println("   crash report written: " + (reports.isEmpty() ? "none" : reports.get(0).textFile().getFileName()));
    } finally {
      kernel.shutdown();
    }

    step("8. The registry survives a reboot");
    try (Kernel again = Kernel.boot(KernelConfig.of(state))) {
      KThread tool = again.administratorSession("admin-tool", Sid.unixUser(1000));
      OpenResult key = again.services().ntOpenKey(tool, AccessMask.KEY_READ, ObjectAttributes.of(service));
      show("NtOpenKey(Services\\Echo) after reboot", key.status());
      if (key.status().isSuccess()) {
        RegValue image = again.services().ntQueryValueKey(tool, key.handle(), UnicodeString.of("ImagePath")).value();
        out.println("   ImagePath = " + image.expandStringValue().orElse("?"));
        again.services().ntClose(tool, key.handle());
      }
    }
    out.println();
    out.println("See README.md for what this build does, how to write a driver, and how to run the tests.");
  }

  private static boolean hasDriver(Kernel kernel, String name) {
    return kernel.io().driver(name).isPresent();
  }

  /** The deferred unload runs on a System worker: give it the moment it needs. */
  /**
   * Waits until the driver's name is gone and its image unmapped: the name goes first, the image
   * when the driver object's last reference drops, on the System worker that ran DriverUnload. A
   * load in between would find the image still mapped (STATUS_IMAGE_ALREADY_LOADED), as on NT.
   */
  private static void awaitDriverGone(Kernel kernel, String name, String imageName) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while ((hasDriver(kernel, name) || kernel.io().loader().loadedImages().stream()
        .anyMatch(image -> image.imageName().equalsIgnoreCase(imageName)))
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** Creates {@code keyPath} (its parent must exist) and sets {@code values} in it, as an installer does. */
  private static void setValues(SystemServices nt, KThread admin, String keyPath, RegValue... values) {
    KeyCreateResult key = nt.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyPath), 0);
    for (RegValue value : values) {
      nt.ntSetValueKey(admin, key.handle(), UnicodeString.of(value.name()), value.type(), value.data());
    }
    nt.ntClose(admin, key.handle());
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }

  private void show(String what, NtStatus status) {
    out.println("   " + what + ": " + status);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
