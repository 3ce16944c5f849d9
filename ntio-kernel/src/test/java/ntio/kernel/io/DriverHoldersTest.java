package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import ntio.api.DriverHolders;
import ntio.api.HandleEntry;
import ntio.api.Holder;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.api.UnixPid;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.kernel.LocalNt;
import ntio.kernel.io.holdertests.HoldingDriver;
import ntio.kernel.io.lingertests.LingerDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "What still holds my driver?" through the public API ({@code NtApi.queryDriverHolders} and
 * {@code queryHandles} on {@link LocalNt}), with the real sample images Echo.jar and Filter.jar and
 * real client processes: a deferred unload names the client's handle with its process id and uid,
 * the filter attached on top, the pending read; when the holder goes the driver unloads.
 */
@Timeout(60)
class DriverHoldersTest {

  private static final int READ_WRITE = AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE;

  @TempDir Path state;

  private IoLab lab;
  /** The administrator's tool asking. */
  private LocalNt admin;
  /** A client of another user (uid 2001) holding Echo open. */
  private LocalNt alice;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    admin = LocalNt.administrator(lab.kernel, "ntio", 1000);
    alice = LocalNt.standardUser(lab.kernel, "alice-tool", 2001);
  }

  @AfterEach
  void closeTheLab() {
    lab.close();
  }

  private static Handle openEcho(LocalNt client) {
    OpenResult opened = client.createFile(READ_WRITE, ObjectAttributes.of("\\??\\Echo"), 0, 0);
    assertThat(opened.status()).as("open \\??\\Echo").isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  private DriverHolders holdersOf(String service) {
    DriverHolders holders = admin.queryDriverHolders(service);
    assertThat(holders.status()).as("queryDriverHolders(%s)", service).isEqualTo(NtStatus.STATUS_SUCCESS);
    return holders;
  }

  private static List<Holder> ofKind(DriverHolders holders, Holder.Kind kind) {
    return holders.holders().stream().filter(h -> h.kind() == kind).toList();
  }

  @Test
  void aRunningDriverWithNothingOpenHasNoHolders() {
    lab.loadSample("Echo");

    DriverHolders holders = holdersOf("echo");

    assertThat(holders.driverName()).isEqualTo("\\Driver\\Echo");
    assertThat(holders.service()).isEqualTo("Echo");
    assertThat(holders.unloadPending()).isFalse();
    assertThat(holders.holders()).isEmpty();
    assertThat(holders.blocked()).isFalse();
  }

  @Test
  void aDeferredUnloadNamesTheClientsHandleWithItsPidAndUidAndEndsWhenItCloses() {
    lab.loadSample("Echo");
    Handle handle = openEcho(alice);
    assertThat(lab.unload("Echo")).as("deferred NtUnloadDriver").isEqualTo(NtStatus.STATUS_SUCCESS);

    DriverHolders holders = holdersOf("Echo");

    assertThat(holders.unloadPending()).isTrue();
    assertThat(holders.holders()).containsExactly(new Holder(Holder.Kind.OPEN_HANDLE, "\\Device\\Echo", true,
        alice.processId(), "alice-tool", "Unix User\\2001", 2001, handle.value(), ""));

    assertThat(alice.close(handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Echo");
    assertThat(admin.queryDriverHolders("Echo").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(admin.queryDriverHolders("Echo").holders()).isEmpty();
  }

  @Test
  void filterAttachedOnTopOfEchoIsWhatHoldsEchoAndUnloadingFilterLetsEchoGo() {
    lab.loadSample("Echo");
    lab.loadSample("Filter");
    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);

    DriverHolders holders = holdersOf("Echo");

    assertThat(holders.unloadPending()).isTrue();
    assertThat(holders.holders()).singleElement().satisfies(h -> {
      assertThat(h.kind()).isEqualTo(Holder.Kind.ATTACHED_DEVICE);
      assertThat(h.device()).isEqualTo("\\Device\\Echo");
      assertThat(h.blocksUnload()).isTrue();
      assertThat(h.detail()).isEqualTo("an unnamed device of \\Driver\\Filter");
      assertThat(h.processId()).isZero();
    });

    assertThat(lab.unload("Filter")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Filter");
    lab.awaitUnloaded("Echo");
  }

  @Test
  void aPendingReadIsListedWithItsMajorFunctionAndItsProcess() {
    lab.loadSample("Echo");
    Handle handle = openEcho(alice);
    PendingIo read = alice.readFileAsync(handle, 16, 0);
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);

    DriverHolders holders = holdersOf("Echo");

    assertThat(ofKind(holders, Holder.Kind.OPEN_HANDLE)).extracting(Holder::handle).containsExactly(handle.value());
    assertThat(ofKind(holders, Holder.Kind.PENDING_IRP)).singleElement().satisfies(h -> {
      assertThat(h.device()).isEqualTo("\\Device\\Echo");
      assertThat(h.detail()).isEqualTo("IRP_MJ_READ pending in the driver");
      assertThat(h.processId()).isEqualTo(alice.processId());
      assertThat(h.unixUid()).isEqualTo(2001);
      assertThat(h.blocksUnload()).isFalse();
    });

    alice.close(handle);
    assertThat(read.completion().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join().status())
        .isEqualTo(NtStatus.STATUS_CANCELLED);
    lab.awaitUnloaded("Echo");
  }

  @Test
  void anotherUsersHandleIsListedToAStandardUserWithoutItsProcess() {
    lab.loadSample("Echo");
    Handle handle = openEcho(alice);
    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
    LocalNt bob = LocalNt.standardUser(lab.kernel, "bob-tool", 2002);

    DriverHolders seenByBob = bob.queryDriverHolders("Echo");

    assertThat(seenByBob.holders()).containsExactly(new Holder(Holder.Kind.OPEN_HANDLE, "\\Device\\Echo", true,
        0, "", "", -1, 0, "in another user's process"));
    assertThat(alice.queryDriverHolders("Echo").holders()).extracting(Holder::processId)
        .containsExactly(alice.processId());
    alice.close(handle);
    lab.awaitUnloaded("Echo");
  }

  @Test
  void workItemsTimersAndSystemThreadsAreListedAsRunningTheDriversCodeWithoutBlockingIt() {
    DriverJars.driver(lab.drivers(), "Linger.jar", LingerDriver.class);
    lab.installService("Linger", "Linger.jar");
    lab.setValue(IoLab.SERVICES + "Linger\\Parameters",
        RegValue.multiString("Leave", List.of("timer", "workitem", "thread")));
    assertThat(lab.load("Linger")).isEqualTo(NtStatus.STATUS_SUCCESS);
    CountDownLatch release = lab.device("\\Device\\Linger", device -> device.deviceExtension(CountDownLatch.class));
    try {
      DriverHolders holders = holdersOf("Linger");

      assertThat(holders.holders()).extracting(Holder::kind)
          .containsExactlyInAnyOrder(Holder.Kind.WORK_ITEM, Holder.Kind.TIMER, Holder.Kind.SYSTEM_THREAD);
      assertThat(holders.holders()).noneMatch(Holder::blocksUnload);
      assertThat(holders.blocked()).isFalse();
      assertThat(ofKind(holders, Holder.Kind.WORK_ITEM)).singleElement()
          .satisfies(h -> assertThat(h.detail()).startsWith("ExQueueWorkItem running " + LingerDriver.class.getName()));
    } finally {
      release.countDown();
    }
  }

  @Test
  void anOpenWithoutAHandleAFileSystemRegistrationAndAnIoWorkItemAreEachNamed() {
    lab.loadSample("Echo");
    DriverJars.driver(lab.drivers(), "Holding.jar", HoldingDriver.class);
    lab.installService("Holding", "Holding.jar");
    assertThat(lab.load("Holding")).isEqualTo(NtStatus.STATUS_SUCCESS);
    CountDownLatch release = lab.device("\\Device\\Holding", device -> device.deviceExtension(CountDownLatch.class));
    try {
      assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.unload("Holding")).isEqualTo(NtStatus.STATUS_SUCCESS);

      assertThat(holdersOf("Echo").holders()).containsExactly(new Holder(Holder.Kind.OPEN_WITHOUT_HANDLE,
          "\\Device\\Echo", true, 0, "", "", -1, 0, "1 open with no handle in any process"));
      DriverHolders holding = holdersOf("Holding");
      assertThat(holding.holders()).extracting(Holder::kind)
          .containsExactly(Holder.Kind.FILE_SYSTEM, Holder.Kind.WORK_ITEM);
      assertThat(ofKind(holding, Holder.Kind.FILE_SYSTEM)).singleElement()
          .satisfies(h -> assertThat(h.device()).isEqualTo("\\Device\\Holding"));
      assertThat(ofKind(holding, Holder.Kind.WORK_ITEM)).singleElement().satisfies(h -> {
        assertThat(h.device()).isEqualTo("\\Device\\Holding");
        assertThat(h.detail()).startsWith("IoQueueWorkItem running " + HoldingDriver.class.getName());
        assertThat(h.blocksUnload()).isFalse();
      });
    } finally {
      release.countDown();
    }
    lab.awaitUnloaded("Holding");
    lab.awaitUnloaded("Echo");
  }

  @Test
  void theHandleListingShowsEachProcessesHandlesWithTypeAndNameAndAStandardUserSeesOnlyTheirOwn() {
    lab.loadSample("Echo");
    Handle handle = openEcho(alice);

    List<HandleEntry> all = admin.queryHandles().rows();
    List<HandleEntry> alicesOwn = alice.queryHandles().rows();

    HandleEntry expected = new HandleEntry(alice.processId(), "alice-tool", "Unix User\\2001", 2001, handle.value(),
        "File", "\\Device\\Echo", all.stream().filter(e -> e.processId() == alice.processId()).findFirst()
            .orElseThrow().grantedAccess());
    assertThat(all).contains(expected);
    assertThat(alicesOwn).containsExactly(expected);
    assertThat(LocalNt.standardUser(lab.kernel, "bob-tool", 2002).queryHandles().rows()).isEmpty();
    alice.close(handle);
    assertThat(admin.queryHandles().rows()).doesNotContain(expected);
  }

  @Test
  void theUnixPidTheHostRecordedForAClientIsInItsHoldersAndHandlesButNotShownToAnotherStandardUser() {
    lab.loadSample("Echo");
    alice.recordUnixPid(UnixPid.claimed(4321));
    Handle handle = openEcho(alice);
    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
    LocalNt bob = LocalNt.standardUser(lab.kernel, "bob-tool", 2002);

    assertThat(holdersOf("Echo").holders()).containsExactly(new Holder(Holder.Kind.OPEN_HANDLE, "\\Device\\Echo",
        true, alice.processId(), "alice-tool", "Unix User\\2001", 2001, handle.value(), "", UnixPid.claimed(4321)));
    assertThat(admin.queryHandles().rows()).filteredOn(e -> e.processId() == alice.processId())
        .extracting(HandleEntry::unixPid).containsExactly(UnixPid.claimed(4321));
    assertThat(admin.queryHandles().rows()).filteredOn(e -> e.processId() == admin.processId())
        .extracting(HandleEntry::unixPid).allMatch(pid -> pid.equals(UnixPid.UNKNOWN));
    assertThat(bob.queryDriverHolders("Echo").holders()).extracting(Holder::unixPid)
        .containsExactly(UnixPid.UNKNOWN);
    alice.close(handle);
    lab.awaitUnloaded("Echo");
  }
}
