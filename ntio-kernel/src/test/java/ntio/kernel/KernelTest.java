package ntio.kernel;

import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static ntio.ddk.NtStatus.STATUS_SYSTEM_SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.DirectoryEntry;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTest {

  @TempDir Path state;

  @Test
  void bootCreatesTheStateDirectoryAndTheNamespaceOfNt() {
    Path fresh = state.resolve("fresh");
    try (Kernel kernel = Kernel.boot(KernelConfig.of(fresh))) {
      assertThat(fresh.resolve(Kernel.HIVE_FILE)).exists();
      assertThat(fresh.resolve("SystemRoot/System32/drivers")).isDirectory();
      assertThat(names(kernel, "\\")).contains("Device", "DosDevices", "Driver", "FileSystem",
          "GLOBAL??", "ObjectTypes", "REGISTRY");
      assertThat(names(kernel, "\\FileSystem")).containsExactly("Filters");
      assertThat(names(kernel, "\\ObjectTypes")).contains("Directory", "SymbolicLink", "Key",
          "Driver", "Device", "File", "Event", "Type");
    }
  }

  @Test
  void T29_driverAndDeviceTypesHaveTheFileGenericMapping() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      for (String name : List.of("Driver", "Device")) {
        ObjectType type = kernel.objects().<ObjectType>referenceByName("\\ObjectTypes\\" + name, kernel.objects().typeType()).object();
        assertThat(type.isCaseInsensitive()).as(name).isTrue();
        assertThat(type.invalidAttributes()).as(name).isEqualTo(0x100);
        assertThat(type.genericMapping().genericRead()).as(name).isEqualTo(0x120089);
        assertThat(type.genericMapping().genericWrite()).as(name).isEqualTo(0x120116);
        assertThat(type.genericMapping().genericExecute()).as(name).isEqualTo(0x1200A0);
        assertThat(type.genericMapping().genericAll()).as(name).isEqualTo(0x1F01FF);
        assertThat(type.validAccessMask()).as(name).isEqualTo(0x1F01FF);
        type.dereference();
      }
    }
  }

  @Test
  void B46_anOpenOfADriverOrDeviceWithOpenLinkIsAnInvalidParameter() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      KThread admin = kernel.administratorSession("t", Sid.unixUser(1));
      for (ObjectType type : List.of(kernel.io().driverType(), kernel.io().deviceType())) {
        OpenResult opened = kernel.objects().openByName(
            ObjectAttributes.of("\\Driver\\Anything", ObjectAttributes.OBJ_OPENLINK), type, 0, admin, null);
        assertThat(opened.status()).as(type.typeName()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
      }
    }
  }

  @Test
  void twoKernelsInOneJvmShareNothing() {
    try (Kernel a = Kernel.boot(KernelConfig.of(state.resolve("a")));
        Kernel b = Kernel.boot(KernelConfig.of(state.resolve("b")))) {
      KThread inA = a.administratorSession("t", Sid.unixUser(1));
      KThread inB = b.administratorSession("t", Sid.unixUser(1));
      assertThat(a.services().ntCreateDirectoryObject(inA, AccessMask.DIRECTORY_ALL_ACCESS,
          ObjectAttributes.of("\\OnlyInA")).status()).isEqualTo(STATUS_SUCCESS);
      assertThat(b.services().ntOpenDirectoryObject(inB, AccessMask.DIRECTORY_QUERY,
          ObjectAttributes.of("\\OnlyInA")).status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(a.objects()).isNotSameAs(b.objects());
      assertThat(inA.process().id()).isEqualTo(inB.process().id());
    }
  }

  @Test
  void aBugCheckHaltsTheKernelAndEveryLaterCallFailsCleanly() {
    AtomicReference<BugCheck> seen = new AtomicReference<>();
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state).withCrashHandler(seen::set))) {
      KThread admin = kernel.administratorSession("t", Sid.unixUser(1));
      var block = kernel.pool().allocate(PoolType.PAGED, 16, PoolTag.of("Test"), PoolOwner.KERNEL).allocation();
      kernel.pool().free(block, PoolTag.of("Test"));

      assertThatThrownBy(() -> block.putByte(0, (byte) 1)).isInstanceOf(BugCheckException.class);

      assertThat(seen.get().code()).isEqualTo(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA);
      assertThat(kernel.state()).isEqualTo(Kernel.State.HALTED);
      assertThat(kernel.services().ntOpenDirectoryObject(admin, AccessMask.DIRECTORY_QUERY,
          ObjectAttributes.of("\\")).status()).isEqualTo(STATUS_SYSTEM_SHUTDOWN);
    }
  }

  @Test
  void theDefaultCrashHandlerWritesAReportIntoTheStateDirectory() throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      var block = kernel.pool().allocate(PoolType.PAGED, 16, PoolTag.of("Test"), PoolOwner.KERNEL).allocation();
      kernel.pool().free(block, PoolTag.of("Test"));
      assertThatThrownBy(() -> block.getByte(0)).isInstanceOf(BugCheckException.class);
      assertThat(kernel.isRunning()).isFalse();
    }
    try (var files = Files.list(state.resolve("crash"))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .anySatisfy(name -> assertThat(name).endsWith(".txt"));
    }
  }

  @Test
  void shutdownRunsClientProcessesDownAndIsIdempotent() {
    Kernel kernel = Kernel.boot(KernelConfig.of(state));
    KThread admin = kernel.administratorSession("t", Sid.unixUser(1));
    OpenResult dir = kernel.services().ntCreateDirectoryObject(admin, AccessMask.DIRECTORY_ALL_ACCESS,
        ObjectAttributes.of("\\Held"));
    assertThat(dir.status()).isEqualTo(STATUS_SUCCESS);

    assertThat(kernel.shutdown()).isEmpty();

    assertThat(admin.process().state()).isEqualTo(KProcess.State.TERMINATED);
    assertThat(admin.handleTable().count()).isZero();
    assertThat(kernel.shutdown()).isEmpty();
    assertThat(kernel.services().ntClose(admin, dir.handle())).isEqualTo(STATUS_SYSTEM_SHUTDOWN);
  }

  @Test
  void terminatingAClientProcessClosesItsHandlesAndTheSystemProcessCannotBeTerminated() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      KThread admin = kernel.administratorSession("t", Sid.unixUser(1));
      kernel.services().ntCreateDirectoryObject(admin, AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\Held"));

      assertThat(kernel.services().ntTerminateProcess(admin, admin.process(), STATUS_SUCCESS)).isEqualTo(STATUS_SUCCESS);

      assertThat(names(kernel, "\\")).doesNotContain("Held");
      assertThat(kernel.processes().terminate(kernel.processes().systemProcess(), STATUS_SUCCESS))
          .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
      KThread other = kernel.administratorSession("u", Sid.unixUser(2));
      assertThat(kernel.services().ntTerminateProcess(other, kernel.processes().systemProcess(), STATUS_SUCCESS))
          .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    }
  }

  @Test
  void systemWorkerThreadsRunInTheSystemProcessInKernelMode() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      var result = kernel.workQueues().runAndWait(ntio.kernel.executive.WorkQueueType.DELAYED,
          () -> kernel.processes().currentThread().orElseThrow());
      KThread worker = result.value();
      assertThat(worker.process()).isSameAs(kernel.processes().systemProcess());
      assertThat(worker.previousMode()).isEqualTo(ntio.ddk.ProcessorMode.KERNEL);
      assertThat(kernel.processes().isSystemThread()).isFalse();
    }
  }

  static List<String> names(Kernel kernel, String path) {
    KThread thread = kernel.systemThread();
    OpenResult dir = kernel.services().ntOpenDirectoryObject(thread, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of(path));
    try {
      return kernel.services().ntQueryDirectoryObject(thread, dir.handle()).entries().stream()
          .map(DirectoryEntry::name).toList();
    } finally {
      kernel.services().ntClose(thread, dir.handle());
    }
  }
}
