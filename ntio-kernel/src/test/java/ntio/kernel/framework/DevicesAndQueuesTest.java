package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.api.VerifierFinding;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolType;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfIoQueue;
import ntio.framework.WdfIoQueueConfig;
import ntio.framework.WdfIoQueueConfig.DispatchType;
import ntio.framework.WdfMemory;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfObjectState;
import ntio.framework.WdfRequest;
import ntio.framework.WdfResult;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.io.IoRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control devices, I/O queues and requests (O3, O14, O20, T13, T17 d): a builtin framework driver
 * with {@code \Device\FxDev} and {@code \??\FxDev}, opened and used by a client through the system
 * services, so every request is a real IRP the framework routes to a queue.
 */
@Timeout(60)
class DevicesAndQueuesTest {

  private static final String DEVICE = "\\Device\\FxDev";
  private static final String LINK = "\\??\\FxDev";

  @TempDir Path state;
  private FxLab lab;
  private Wdf wdf;
  private WdfDevice device;
  private final List<WdfRequest> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
    FxLab.Bound bound = lab.builtin("FxDev", (w, d, path) -> {
      NtStatus created = w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status();
      WdfDeviceInit init = w.controlDeviceInitAllocate(w.getDriver(), null);
      assertThat(w.deviceInitAssignName(init, DEVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
      device = w.deviceCreate(init, WdfObjectAttributes.init()
          .cleanupCallback(o -> lab.event("cleanup(device)"))).handle();
      assertThat(w.deviceCreateSymbolicLink(device, LINK)).isEqualTo(NtStatus.STATUS_SUCCESS);
      w.controlFinishInitializing(device);
      return created;
    });
    wdf = bound.wdf();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private Handle open(String name) {
    OpenResult opened = lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of(name), 0, 0);
    assertThat(opened.status()).as("open %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  private WdfIoQueue defaultQueue(WdfIoQueueConfig config) {
    WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device, config, null);
    assertThat(queue.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return queue.handle();
  }

  /** A parallel default queue answering reads with "hello", writes with their length, controls with the code. */
  private WdfIoQueue answeringQueue(DispatchType type) {
    return defaultQueue(WdfIoQueueConfig.initDefaultQueue(type)
        .read((q, r, length) -> {
          byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
          System.arraycopy(hello, 0, r.wdmIrp().systemBuffer(), 0, hello.length);
          wdf.requestCompleteWithInformation(r, NtStatus.STATUS_SUCCESS, hello.length);
        })
        .write((q, r, length) -> wdf.requestCompleteWithInformation(r, NtStatus.STATUS_SUCCESS, length))
        .deviceControl((q, r, out, in, code) -> wdf.requestCompleteWithInformation(r, NtStatus.STATUS_SUCCESS, code)));
  }

  @Test
  void aClientOpensAndClosesTheControlDeviceThroughItsLinkWhileTheFrameworkAnswersCreateAndClose() {
    Handle handle = open(LINK);

    assertThat(lab.nt.ntClose(lab.admin, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(device.wdmDevice().deviceName()).contains(DEVICE);
    assertThat(device.wdmDevice().deviceExtension()).isSameAs(device);
  }

  @Test
  void withoutADefaultQueueARequestFailsWithInvalidDeviceRequest() {
    Handle handle = open(DEVICE);

    assertThat(lab.nt.ntReadFile(lab.admin, handle, 8, 0).status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
  }

  @Test
  void theDefaultQueueDeliversReadsWritesAndDeviceControlsToTheirCallbacks() {
    answeringQueue(DispatchType.PARALLEL);
    Handle handle = open(DEVICE);

    IoResult read = lab.nt.ntReadFile(lab.admin, handle, 16, 0);
    IoResult write = lab.nt.ntWriteFile(lab.admin, handle, new byte[7], 0);
    IoResult control = lab.nt.ntDeviceIoControlFile(lab.admin, handle, 0x222004, new byte[0], 0);

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(new String(read.data(), 0, (int) read.information(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(write.information()).isEqualTo(7);
    assertThat(control.information()).isEqualTo(0x222004);
  }

  @Test
  void aRequestWithoutACallbackOfItsKindGoesToTheDefaultCallbackOrFails() {
    defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL)
        .defaultCallback((q, r) -> wdf.requestCompleteWithInformation(r, NtStatus.STATUS_SUCCESS, 42)));
    Handle handle = open(DEVICE);

    assertThat(lab.nt.ntWriteFile(lab.admin, handle, new byte[3], 0).information()).isEqualTo(42);
  }

  @Test
  void aSequentialQueuePresentsTheNextRequestOnlyWhenTheCurrentOneIsCompleted() {
    defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.SEQUENTIAL).read((q, r, length) -> {
      lab.event("presented");
      held.add(r);
    }));
    Handle handle = open(DEVICE);

    IoRequest first = lab.nt.ntReadFileAsync(lab.admin, handle, 4, 0, null);
    IoRequest second = lab.nt.ntReadFileAsync(lab.admin, handle, 4, 0, null);

    assertThat(lab.events()).containsExactly("presented");
    assertThat(first.isComplete()).isFalse();
    wdf.requestComplete(held.get(0), NtStatus.STATUS_SUCCESS);
    assertThat(first.await(Duration.ofSeconds(20))).isTrue();
    assertThat(lab.events()).containsExactly("presented", "presented");
    wdf.requestComplete(held.get(1), NtStatus.STATUS_END_OF_FILE);
    assertThat(second.awaitCompletion()).isEqualTo(NtStatus.STATUS_END_OF_FILE);
  }

  @Test
  void aRequestForwardedToAManualQueueWaitsThereUntilTheDriverRetrievesIt() {
    WdfIoQueue manual = wdf.ioQueueCreate(device, WdfIoQueueConfig.init(DispatchType.MANUAL), null).handle();
    defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).read((q, r, length) ->
        assertThat(wdf.requestForwardToIoQueue(r, manual)).isEqualTo(NtStatus.STATUS_SUCCESS)));
    Handle handle = open(DEVICE);

    IoRequest read = lab.nt.ntReadFileAsync(lab.admin, handle, 4, 0, null);

    assertThat(read.isComplete()).isFalse();
    assertThat(manual.waitingCount()).isEqualTo(1);
    WdfResult<WdfRequest> retrieved = wdf.ioQueueRetrieveNextRequest(manual);
    assertThat(retrieved.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(wdf.ioQueueRetrieveNextRequest(manual).status()).isEqualTo(NtStatus.STATUS_NO_MORE_ENTRIES);
    wdf.requestCompleteWithInformation(retrieved.handle(), NtStatus.STATUS_SUCCESS, 2);
    assertThat(read.awaitCompletion()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(read.information()).isEqualTo(2);
  }

  @Test
  void retrievingFromAQueueThatIsNotManualIsInvalidDeviceRequest() {
    WdfIoQueue parallel = answeringQueue(DispatchType.PARALLEL);

    assertThat(wdf.ioQueueRetrieveNextRequest(parallel).status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
  }

  @Test
  void cancellingARequestWaitingInAQueueCompletesItCancelled() {
    WdfIoQueue manual = wdf.ioQueueCreate(device, WdfIoQueueConfig.init(DispatchType.MANUAL), null).handle();
    defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).read((q, r, length) ->
        wdf.requestForwardToIoQueue(r, manual)));
    Handle handle = open(DEVICE);
    IoRequest read = lab.nt.ntReadFileAsync(lab.admin, handle, 4, 0, null);

    lab.nt.ntCancelIoFile(lab.admin, handle);

    assertThat(read.awaitCompletion()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(manual.waitingCount()).isZero();
  }

  @Test
  void deletingAQueueCancelsTheRequestsWaitingInIt() {
    WdfIoQueue manual = wdf.ioQueueCreate(device, WdfIoQueueConfig.init(DispatchType.MANUAL), null).handle();
    defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).read((q, r, length) ->
        wdf.requestForwardToIoQueue(r, manual)));
    Handle handle = open(DEVICE);
    IoRequest read = lab.nt.ntReadFileAsync(lab.admin, handle, 4, 0, null);

    wdf.objectDelete(manual);

    assertThat(read.awaitCompletion()).isEqualTo(NtStatus.STATUS_CANCELLED);
  }

  @Test
  void T13_theDefaultQueueAndADeliveredRequestMayNotBeDeleted() {
    WdfIoQueue queue = defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).read((q, r, length) -> {
      wdf.objectDelete(r);
      wdf.requestComplete(r, NtStatus.STATUS_SUCCESS);
    }));
    Handle handle = open(DEVICE);

    wdf.objectDelete(queue);
    IoResult read = lab.nt.ntReadFile(lab.admin, handle, 4, 0);

    assertThat(queue.state()).isEqualTo(WdfObjectState.CREATED);
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.findings("FxDev")).extracting(VerifierFinding::check).containsExactly("V-KMDF-05", "V-KMDF-05");
  }

  @Test
  void T13_aControlDeviceMayBeDeletedAndTakesItsDeviceObjectAndLinkWithIt() {
    answeringQueue(DispatchType.PARALLEL);

    wdf.objectDelete(device);

    assertThat(lab.findings("FxDev")).isEmpty();
    assertThat(lab.events()).containsExactly("cleanup(device)");
    assertThat(lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ, ObjectAttributes.of(DEVICE), 0, 0).status())
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ, ObjectAttributes.of(LINK), 0, 0).status())
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void O20_deletingTheDeviceDeletesItsSubtreeAndLeavesDriverParentedObjects() {
    WdfIoQueue queue = answeringQueue(DispatchType.PARALLEL);
    WdfMemory onDevice = wdf.memoryCreate(WdfObjectAttributes.init().parentObject(device), PoolType.NON_PAGED, 0, 8)
        .handle();
    WdfMemory onDriver = wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 8).handle();

    wdf.objectDelete(device);

    assertThat(queue.state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(onDevice.state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(onDriver.state()).isEqualTo(WdfObjectState.CREATED);
  }

  @Test
  void O3_aDeviceMayNotBeGivenAParentAndItsParentIsTheWdfDriver() {
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, "\\Device\\FxOther");

    WdfResult<WdfDevice> refused = wdf.deviceCreate(init, WdfObjectAttributes.init().parentObject(device));

    assertThat(refused.status()).isEqualTo(NtStatus.STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    wdf.deviceInitFree(init);
    assertThat(device.parent()).isSameAs(wdf.getDriver());
  }

  @Test
  void aNameCollisionFailsDeviceCreateAndLeavesTheInitToTheDriver() {
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, DEVICE);

    assertThat(wdf.deviceCreate(init, null).status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
    int before = wdf.liveAllocations();
    wdf.deviceInitFree(init);
    assertThat(wdf.liveAllocations()).isEqualTo(before - 1);
  }

  @Test
  void T17d_aQueueUnderAnotherDeviceIsInvalidDeviceRequest() {
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, "\\Device\\FxSecond");
    WdfDevice second = wdf.deviceCreate(init, null).handle();
    WdfObject underSecond = wdf.objectCreate(WdfObjectAttributes.init().parentObject(second)).handle();

    WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device, WdfIoQueueConfig.init(DispatchType.MANUAL),
        WdfObjectAttributes.init().parentObject(underSecond));

    assertThat(queue.status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
  }

  @Test
  void aCompletedRequestIsDestroyedSoCompletingItAgainIsAnInvalidHandleBugCheck() {
    defaultQueue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).read((q, r, length) -> {
      held.add(r);
      wdf.requestComplete(r, NtStatus.STATUS_SUCCESS);
    }));
    Handle handle = open(DEVICE);
    lab.nt.ntReadFile(lab.admin, handle, 4, 0);

    assertThatThrownBy(() -> wdf.requestComplete(held.get(0), NtStatus.STATUS_SUCCESS))
        .isInstanceOf(BugCheckException.class);
    assertThat(lab.onlyBugCheck().parameter1()).isEqualTo(0x5);
  }
}
