package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.ddk.RegValue;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import ntio.kernel.io.irptests.lab.IrpLabDriver;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The I/O path through real driver images: completion routines bottom-up through a stack,
 * STATUS_MORE_PROCESSING_REQUIRED, pending completed on another thread, cancellation before,
 * during and after completion, a driver that never completes a cancelled request, process rundown,
 * and an unload requested while a read is pending.
 */
@Timeout(60)
class IoPathTest {

  private static final Duration SHORT = Duration.ofSeconds(10);

  @TempDir Path state;

  private IoLab lab;
  private KThread client;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    client = lab.userClient();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  /** Installs and loads an IrpLab service with the given parameters. */
  /**
   * Writes an IrpLab image for {@code service}, installs the service and sets its {@code Device}
   * and {@code parameters}; does not load it.
   */
  private void install(String service, String device, RegValue... parameters) {
    DriverJars.image(service + ".jar")
        .entry(IrpLabDriver.class)
        .add(IrpLabDriver.helperClasses().toArray(new Class<?>[0]))
        .writeTo(lab.drivers());
    lab.installService(service, service + ".jar");
    String key = IoLab.SERVICES + service + "\\Parameters";
    lab.setValue(key, RegValue.string("Device", device));
    for (RegValue parameter : parameters) {
      lab.setValue(key, parameter);
    }
  }

  /** Installs and loads an IrpLab service, expecting the load to succeed. */
  private void load(String service, String device, String lower, char mark, int read,
      int completion, RegValue... more) {
    List<RegValue> parameters = new java.util.ArrayList<>(List.of(RegValue.dword("Mark", mark),
        RegValue.dword("Read", read), RegValue.dword("Completion", completion)));
    if (lower != null) {
      parameters.add(RegValue.string("Lower", lower));
    }
    parameters.addAll(List.of(more));
    install(service, device, parameters.toArray(new RegValue[0]));
    assertThat(lab.load(service)).as("NtLoadDriver(%s)", service).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private void loadBottom(int read, RegValue... more) {
    load("Bottom", "\\Device\\IrpLab", null, 'B', read, IrpLabDriver.SKIP, more);
  }

  private ntio.ddk.Handle open(String name) {
    OpenResult opened = lab.nt.ntCreateFile(client, IoLab.READ_WRITE, ObjectAttributes.of(name), 0, 0);
    assertThat(opened.status()).as("open %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  /** Opens {@code \\Device\\IrpLab} and reads it once, synchronously. */
  private IoResult readOnce(int length) {
    return lab.nt.ntReadFile(client, open("\\Device\\IrpLab"), length, 0);
  }

  private static void assertReadBack(IoResult read, String expected) {
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(read.data())).isEqualTo(expected);
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }

  // Completion through a stack ----------------------------------------------------------------------

  @Test
  void completionRoutinesRunBottomUpThroughAThreeDeepStack() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    load("Middle", "\\Device\\IrpLabMiddle", "\\Device\\IrpLab", 'M', 0, IrpLabDriver.CONTINUE);
    load("Top", "\\Device\\IrpLabTop", "\\Device\\IrpLab", 'T', 0, IrpLabDriver.CONTINUE);

    IoResult read = readOnce(8);

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(read.data())).as("the bottom's byte, then each filter's, lowest first").isEqualTo("BMT");
    assertThat(read.information()).isEqualTo(3);
  }

  @Test
  void aRoutineReturningMoreProcessingRequiredGetsTheRequestBackToCompleteAgain() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    load("Middle", "\\Device\\IrpLabMiddle", "\\Device\\IrpLab", 'M', 0, IrpLabDriver.MORE_PROCESSING);
    load("Top", "\\Device\\IrpLabTop", "\\Device\\IrpLab", 'T', 0, IrpLabDriver.CONTINUE);

    IoResult read = readOnce(8);

    assertReadBack(read, "BMT");
  }

  @Test
  void aRequestPendedAtTheBottomAndCompletedOnAnotherThreadComesBackThroughTheFilters() {
    loadBottom(IrpLabDriver.PEND_COMPLETE_FROM_ANOTHER_THREAD);
    load("Top", "\\Device\\IrpLabTop", "\\Device\\IrpLab", 'T', 0, IrpLabDriver.CONTINUE);
    List<IoRequest> apcs = new CopyOnWriteArrayList<>();

    IoRequest request = lab.nt.ntReadFileAsync(client, open("\\Device\\IrpLab"), 8, 0, apcs::add);

    assertThat(request.status()).as("pending when the call returns").isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(request.await(SHORT)).isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(request.data())).as("lower case: the filter saw PendingReturned").isEqualTo("Bt");
    IoLab.await("the APC", () -> apcs.size() == 1);
    assertThat(apcs).containsExactly(request);
  }

  @Test
  void pendingReturnedPropagatesUpPastALocationWithoutACompletionRoutine() {
    loadBottom(IrpLabDriver.PEND_COMPLETE_FROM_ANOTHER_THREAD);
    load("Middle", "\\Device\\IrpLabMiddle", "\\Device\\IrpLab", 'M', 0,
        IrpLabDriver.COPY_WITHOUT_ROUTINE);
    load("Top", "\\Device\\IrpLabTop", "\\Device\\IrpLab", 'T', 0, IrpLabDriver.CONTINUE);

    IoResult read = readOnce(8);

    assertThat(text(read.data())).as("the top filter saw PendingReturned from two levels down")
        .isEqualTo("Bt");
  }

  @Test
  void aRequestCompletedAtOnceIsNotPendingReturnedForTheFilters() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    load("Middle", "\\Device\\IrpLabMiddle", "\\Device\\IrpLab", 'M', 0,
        IrpLabDriver.COPY_WITHOUT_ROUTINE);
    load("Top", "\\Device\\IrpLabTop", "\\Device\\IrpLab", 'T', 0, IrpLabDriver.CONTINUE);

    IoResult read = readOnce(8);

    assertThat(text(read.data())).isEqualTo("BT");
  }

  @Test
  void aSynchronousReadWaitsForARequestThatPends() {
    loadBottom(IrpLabDriver.PEND_COMPLETE_FROM_ANOTHER_THREAD);

    IoResult read = readOnce(4);

    assertReadBack(read, "B");
  }

  // Cancellation ------------------------------------------------------------------------------------

  @Test
  void cancellingAPendingReadCompletesItCancelledAndRunsItsApcOnce() {
    loadBottom(IrpLabDriver.PEND);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    List<IoRequest> apcs = new CopyOnWriteArrayList<>();
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, apcs::add);
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_PENDING);

    assertThat(lab.nt.ntCancelIoFile(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(request.isComplete()).as("NtCancelIoFile waits for the cancelled request").isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(request.information()).isZero();
    IoLab.await("the APC", () -> apcs.size() == 1);
    assertThat(lab.kernel.io().fileCalls().outstandingOf(client.process())).isEmpty();
  }

  @Test
  void cancellingOneRequestLeavesTheOthersPending() {
    loadBottom(IrpLabDriver.PEND);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest first = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);
    IoRequest second = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    assertThat(lab.nt.ntCancelIoFileEx(client, handle, first)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(first.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(second.status()).isEqualTo(NtStatus.STATUS_PENDING);
    completePending(handle);
    assertThat(second.await(SHORT)).isTrue();
    assertThat(second.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void cancellingWithNothingPendingSucceedsAndARequestAlreadyCompletedIsNotFound() {
    loadBottom(IrpLabDriver.PEND);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    assertThat(lab.nt.ntCancelIoFile(client, handle)).as("before any request").isEqualTo(NtStatus.STATUS_SUCCESS);
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);
    completePending(handle);
    assertThat(request.await(SHORT)).isTrue();

    assertThat(lab.nt.ntCancelIoFileEx(client, handle, request)).as("after its completion")
        .isEqualTo(NtStatus.STATUS_NOT_FOUND);
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aRequestWithoutACancelRoutineIsNotCancelledAndIsReportedAfterTheWait() {
    loadBottom(IrpLabDriver.PEND_NOT_CANCELLABLE);
    lab.kernel.io().fileCalls.setCancelWait(Duration.ofMillis(50));
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    assertThat(lab.nt.ntCancelIoFile(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(request.status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(lab.kernel.io().fileCalls().abandoned()).containsExactly(request);
    completePending(handle);
    assertThat(request.await(SHORT)).isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.kernel.io().fileCalls().abandoned()).isEmpty();
  }

  @Test
  void DV9_underIoVerificationACancelledRequestItsDriverDoesNotCompleteInTimeIsBugCheck0xC4_0x135() {
    lab.kernel.io().verifier().setVolatileSettings(
        ntio.api.VerifierSettings.parse("Bottom.jar", ntio.api.VerifierSettings.STANDARD_FLAGS));
    loadBottom(IrpLabDriver.PEND_CANCEL_NEVER_COMPLETES);
    lab.kernel.io().fileCalls.setCancelWait(Duration.ofMillis(50));
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    lab.nt.ntCancelIoFile(client, handle);

    assertThat(request.status()).isEqualTo(NtStatus.STATUS_PENDING);
    ntio.kernel.executive.BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(ntio.kernel.executive.BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(Requests.CANCELLED_IRP_NOT_COMPLETED);
    assertThat(found.driver()).isEqualTo("Bottom.jar");
    assertThat(found.message()).contains("cancelled IRP", "did not complete within 50 ms");
  }

  @Test
  void withoutTheVerifierACancelledRequestNotCompletedIsOnlyReportedAsAbandoned() {
    loadBottom(IrpLabDriver.PEND_CANCEL_NEVER_COMPLETES);
    lab.kernel.io().fileCalls.setCancelWait(Duration.ofMillis(50));
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    lab.nt.ntCancelIoFile(client, handle);

    assertThat(lab.kernel.io().fileCalls().abandoned()).containsExactly(request);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
    completePending(handle);
  }

  @Test
  void aCancelRoutineThatNeverCompletesLeavesTheRequestReported() {
    loadBottom(IrpLabDriver.PEND_CANCEL_NEVER_COMPLETES);
    lab.kernel.io().fileCalls.setCancelWait(Duration.ofMillis(50));
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    assertThat(lab.nt.ntCancelIoFile(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(request.status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(lab.kernel.io().fileCalls().abandoned()).containsExactly(request);
  }

  @Test
  void processRundownCancelsItsPendingRequestsAndClosesItsHandles() {
    loadBottom(IrpLabDriver.PEND);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    assertThat(lab.kernel.processes().terminate(client.process(), NtStatus.STATUS_SUCCESS))
        .isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(request.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(lab.kernel.io().fileCalls().outstandingOf(client.process())).isEmpty();
    assertThat(lab.unload("Bottom")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Bottom");
  }

  // Lifetime ----------------------------------------------------------------------------------------

  @Test
  void anUnloadRequestedWhileAReadIsPendingWaitsForItToCompleteAndTheHandleToClose() {
    loadBottom(IrpLabDriver.PEND);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    IoRequest request = lab.nt.ntReadFileAsync(client, handle, 4, 0, null);

    assertThat(lab.unload("Bottom")).as("deferred").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.driverExists("Bottom")).isTrue();
    assertThat(lab.nt.ntCreateFile(client, IoLab.READ_WRITE, ObjectAttributes.of("\\Device\\IrpLab"), 0, 0)
        .status()).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(lab.nt.ntClose(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.driverExists("Bottom")).as("the pending read still holds the file object").isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_PENDING);

    assertThat(lab.kernel.io().requests().cancelIrp(request.irp())).isTrue();

    assertThat(request.await(SHORT)).isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    lab.awaitUnloaded("Bottom");
  }

  // Requests drivers build -----------------------------------------------------------------------

  private void loadForwarder(String target) {
    install("Forwarder", "\\Device\\Forwarder", RegValue.string("Target", target));
  }

  @Test
  void T51_aDriverReadsFromAnotherDeviceThroughARequestItBuiltAndWaitsWhenItPends() {
    loadBottom(IrpLabDriver.PEND_COMPLETE_FROM_ANOTHER_THREAD);
    loadForwarder("\\Device\\IrpLab");
    assertThat(lab.load("Forwarder")).isEqualTo(NtStatus.STATUS_SUCCESS);

    IoResult forwarded = lab.nt.ntDeviceIoControlFile(client, open("\\Device\\Forwarder"),
        IrpLabDriver.IOCTL_FORWARD_READ, null, 4);

    assertThat(forwarded.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(forwarded.data())).isEqualTo("B");
  }

  @Test
  void T51_theFileObjectOfIoGetDeviceObjectPointerKeepsTheTargetLoadedUntilItIsReleased() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    loadForwarder("\\Device\\IrpLab");
    assertThat(lab.load("Forwarder")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.unload("Bottom")).as("deferred: the forwarder holds a file object")
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.driverExists("Bottom")).isTrue();
    assertThat(lab.unload("Forwarder")).isEqualTo(NtStatus.STATUS_SUCCESS);

    lab.awaitUnloaded("Forwarder");
    lab.awaitUnloaded("Bottom");
  }

  @Test
  void aDriverSendsARequestItAllocatedAndGetsItBackInItsCompletionRoutineToFreeIt() {
    loadBottom(IrpLabDriver.PEND_COMPLETE_FROM_ANOTHER_THREAD);
    loadForwarder("\\Device\\IrpLab");
    assertThat(lab.load("Forwarder")).isEqualTo(NtStatus.STATUS_SUCCESS);

    IoResult forwarded = lab.nt.ntDeviceIoControlFile(client, open("\\Device\\Forwarder"),
        IrpLabDriver.IOCTL_FORWARD_READ_ALLOCATED, null, 4);

    assertThat(forwarded.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(forwarded.data())).isEqualTo("B");
  }

  @Test
  void freeingAnAllocatedRequestTwiceOrARequestMadeForACallerIsBugCheck0xC9() {
    Requests requests = lab.kernel.io().requests;
    KernelIrp allocated = KernelIrp.allocated(1, null);
    requests.freeIrp(allocated, "Test");

    assertThatThrownBy(() -> requests.freeIrp(allocated, "Test"))
        .isInstanceOfSatisfying(BugCheckException.class,
            e -> assertThat(e.bugCheck().parameter1()).isEqualTo(0x01));
  }

  @Test
  void freeingARequestTheIoManagerMadeIsBugCheck0xC9WithParameter2() {
    KernelIrp made = new KernelIrp(1, ProcessorMode.USER, null, null, null);

    assertThatThrownBy(() -> lab.kernel.io().requests.freeIrp(made, "Test"))
        .isInstanceOfSatisfying(BugCheckException.class, e -> {
          assertThat(e.bugCheck().code()).isEqualTo(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION);
          assertThat(e.bugCheck().parameter1()).isEqualTo(0x02);
        });
  }

  @Test
  void ioGetDeviceObjectPointerOfAMissingDeviceGivesTheOpensStatus() {
    loadForwarder("\\Device\\Nowhere");

    assertThat(lab.load("Forwarder")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  // Buffers ---------------------------------------------------------------------------------------

  private void loadBottomWithIo(int io) {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE, RegValue.dword("Io", io));
  }

  @Test
  void aDirectIoDeviceReadsIntoTheCallersBufferThroughAnMdlAndSoDoesItsFilter() {
    loadBottomWithIo(IrpLabDriver.DIRECT);
    load("Top", "\\Device\\IrpLabTop", "\\Device\\IrpLab", 'T', 0, IrpLabDriver.CONTINUE);

    IoResult read = readOnce(8);

    assertReadBack(read, "BT");
  }

  @Test
  void aDeviceWithNeitherFlagReadsThroughTheUserBuffer() {
    loadBottomWithIo(IrpLabDriver.NEITHER);

    IoResult read = readOnce(8);

    assertReadBack(read, "B");
  }

  @Test
  void eachControlMethodCarriesTheInputAndOutputThroughItsOwnBuffers() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");
    byte[] input = "input".getBytes(StandardCharsets.US_ASCII);

    for (int method : new int[] {ntio.ddk.IoControlCodes.METHOD_BUFFERED,
        ntio.ddk.IoControlCodes.METHOD_OUT_DIRECT, ntio.ddk.IoControlCodes.METHOD_NEITHER}) {
      IoResult copied = lab.nt.ntDeviceIoControlFile(client, handle,
          IrpLabDriver.IOCTL_COPY_INPUT | method, input, 16);
      assertThat(copied.status()).as("method %d", method).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(copied.information()).as("method %d", method).isEqualTo(5);
      if (method == ntio.ddk.IoControlCodes.METHOD_BUFFERED) {
        assertThat(text(copied.data())).as("method %d", method).isEqualTo("input");
      } else {
        // The driver wrote into the caller's own buffer: all 16 bytes are the caller's, whatever
        // Information says (Wine ntoskrnl.c do_return_status: "ghijkl" with Information 3).
        assertThat(copied.data()).as("method %d", method).hasSize(16);
        assertThat(text(copied.data())).as("method %d", method).startsWith("input");
      }
    }
    IoResult inDirect = lab.nt.ntDeviceIoControlFile(client, handle,
        IrpLabDriver.IOCTL_COPY_INPUT | ntio.ddk.IoControlCodes.METHOD_IN_DIRECT, input, 16);
    assertThat(inDirect.status()).as("METHOD_IN_DIRECT's MDL is read-only")
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aControlCodeRequiringWriteAccessIsRefusedOnAReadOnlyHandleBeforeTheDriverSeesIt() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    OpenResult reader = lab.nt.ntCreateFile(client, ntio.ddk.AccessMask.GENERIC_READ,
        ObjectAttributes.of("\\Device\\IrpLab"), 0, 0);
    int needsWrite = ntio.ddk.IoControlCodes.ctlCode(ntio.ddk.DeviceTypes.FILE_DEVICE_UNKNOWN, 0xA20,
        ntio.ddk.IoControlCodes.METHOD_BUFFERED, ntio.ddk.IoControlCodes.FILE_WRITE_ACCESS);
    int needsRead = ntio.ddk.IoControlCodes.ctlCode(ntio.ddk.DeviceTypes.FILE_DEVICE_UNKNOWN, 0xA20,
        ntio.ddk.IoControlCodes.METHOD_BUFFERED, ntio.ddk.IoControlCodes.FILE_READ_ACCESS);
    byte[] input = "x".getBytes(StandardCharsets.US_ASCII);

    assertThat(lab.nt.ntDeviceIoControlFile(client, reader.handle(), needsWrite, input, 4).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(lab.nt.ntDeviceIoControlFile(client, reader.handle(), needsRead, input, 4).status())
        .as("a read-only handle may send a control that needs read access")
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.nt.ntDeviceIoControlFileAsync(client, reader.handle(), needsWrite, input, 4, null)
        .status()).as("overlapped: refused at once, no request sent").isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
  }

  // File information --------------------------------------------------------------------------------

  @Test
  void queryInformationGoesToTheDriverWithItsClassAfterTheLengthAndAccessChecks() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    ntio.ddk.Handle handle = open("\\Device\\IrpLab");

    IoResult standard = lab.nt.ntQueryInformationFile(client, handle,
        ntio.ddk.FileInformationClass.FILE_STANDARD_INFORMATION, 24);

    assertThat(standard.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(text(standard.data())).isEqualTo("B".repeat(24));
    assertThat(lab.nt.ntQueryInformationFile(client, handle,
        ntio.ddk.FileInformationClass.FILE_STANDARD_INFORMATION, 23).status())
        .isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    assertThat(lab.nt.ntQueryInformationFile(client, handle, 99, 64).status())
        .isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
  }

  @Test
  void fileAccessInformationIsAnsweredByTheIoManagerWithTheHandlesGrantedAccess() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    OpenResult reader = lab.nt.ntCreateFile(client, ntio.ddk.AccessMask.FILE_READ_DATA,
        ObjectAttributes.of("\\Device\\IrpLab"), 0, 0);

    IoResult access = lab.nt.ntQueryInformationFile(client, reader.handle(),
        ntio.ddk.FileInformationClass.FILE_ACCESS_INFORMATION, 4);

    assertThat(access.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(java.nio.ByteBuffer.wrap(access.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
        .isEqualTo(ntio.ddk.AccessMask.FILE_READ_DATA);
    assertThat(lab.nt.ntQueryInformationFile(client, reader.handle(),
        ntio.ddk.FileInformationClass.FILE_BASIC_INFORMATION, 40).status())
        .as("basic information needs FILE_READ_ATTRIBUTES").isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
  }

  @Test
  void setInformationNeedsTheClasssAccessAndGoesToTheDriver() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    OpenResult reader = lab.nt.ntCreateFile(client, ntio.ddk.AccessMask.GENERIC_READ,
        ObjectAttributes.of("\\Device\\IrpLab"), 0, 0);
    byte[] endOfFile = new byte[8];

    assertThat(lab.nt.ntSetInformationFile(client, reader.handle(),
        ntio.ddk.FileInformationClass.FILE_END_OF_FILE_INFORMATION, endOfFile).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(lab.nt.ntSetInformationFile(client, open("\\Device\\IrpLab"),
        ntio.ddk.FileInformationClass.FILE_END_OF_FILE_INFORMATION, endOfFile).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.nt.ntSetInformationFile(client, reader.handle(),
        ntio.ddk.FileInformationClass.FILE_STANDARD_INFORMATION, new byte[24]).status())
        .as("standard information cannot be set").isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
  }

  // Shutdown ----------------------------------------------------------------------------------------

  @Test
  void kernelShutdownTellsTheRegisteredDevicesLastRegisteredFirstAndNotOnesDeletedBefore() {
    RegValue shutdown = RegValue.dword("Shutdown", 1);
    load("First", "\\Device\\IrpLab1", null, 'A', 0, IrpLabDriver.SKIP, shutdown);
    load("Second", "\\Device\\IrpLab2", null, 'B', 0, IrpLabDriver.SKIP, shutdown);
    load("Gone", "\\Device\\IrpLab3", null, 'C', 0, IrpLabDriver.SKIP, shutdown);
    assertThat(lab.unload("Gone")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Gone");

    lab.close();
    lab = IoLab.boot(state);

    assertThat(lab.values(IrpLabDriver.SHUTDOWN_KEY).string("Order")).isEqualTo("BA");
  }

  // Flush -----------------------------------------------------------------------------------------

  @Test
  void flushBuffersGoesToTheDriverForAHandleThatMayWriteAndIsRefusedForOneThatMayNot() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE);
    ntio.ddk.Handle writer = open("\\Device\\IrpLab");
    OpenResult reader = lab.nt.ntCreateFile(client, ntio.ddk.AccessMask.GENERIC_READ,
        ObjectAttributes.of("\\Device\\IrpLab"), 0, 0);

    assertThat(lab.nt.ntFlushBuffersFile(client, writer)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.nt.ntFlushBuffersFile(client, reader.handle()))
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(lab.nt.ntFlushBuffersFile(client, new ntio.ddk.Handle(0x7ff8)))
        .isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
  }

  // Sharing ---------------------------------------------------------------------------------------

  private static final int READ = ntio.ddk.AccessMask.GENERIC_READ;
  private static final int WRITE = ntio.ddk.AccessMask.GENERIC_WRITE;
  private static final int SHARE_READ = ntio.ddk.ShareAccess.FILE_SHARE_READ;
  private static final int SHARE_WRITE = ntio.ddk.ShareAccess.FILE_SHARE_WRITE;

  private void loadSharingDevice() {
    loadBottom(IrpLabDriver.COMPLETE_AT_ONCE, RegValue.dword("Share", 1));
  }

  private OpenResult openShared(KThread who, int access, int share) {
    return lab.nt.ntCreateFile(who, access, ObjectAttributes.of("\\Device\\IrpLab"), share, 0);
  }

  @Test
  void anOpenThatSharesNothingMakesTheNextOpenASharingViolationUntilItsHandleCloses() {
    loadSharingDevice();
    KThread other = lab.kernel.userSession("other", Sid.unixUser(2002));
    OpenResult first = openShared(client, READ | WRITE, 0);
    assertThat(first.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(openShared(other, READ, SHARE_READ | SHARE_WRITE).status())
        .isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);

    assertThat(lab.nt.ntClose(client, first.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    OpenResult second = openShared(other, READ, SHARE_READ | SHARE_WRITE);
    assertThat(second.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void readersThatShareReadCoexistButAWriterNeedsThemAllToShareWrite() {
    loadSharingDevice();
    assertThat(openShared(client, READ, SHARE_READ).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(openShared(client, READ, SHARE_READ).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(openShared(client, WRITE, SHARE_READ | SHARE_WRITE).status())
        .as("the readers did not share write").isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);
    assertThat(openShared(client, READ, 0).status())
        .as("a reader that will not share read with the others").isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);
  }

  @Test
  void aRefusedOpenLeavesNoHandleAndNoReferenceBehind() {
    loadSharingDevice();
    OpenResult first = openShared(client, READ | WRITE, 0);
    int handlesBefore = client.handleTable().count();

    assertThat(openShared(client, READ, SHARE_READ).status()).isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);

    assertThat(client.handleTable().count()).isEqualTo(handlesBefore);
    assertThat(lab.nt.ntClose(client, first.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.unload("Bottom")).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.awaitUnloaded("Bottom");
  }

  // Driver bugs -------------------------------------------------------------------------------------

  @Test
  void completingARequestTwiceIsBugCheck0x44() {
    KernelIrp irp = new KernelIrp(1, ProcessorMode.KERNEL, null, null, null);
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    Requests requests = lab.kernel.io().requests;
    requests.completeRequest(irp);

    assertThatThrownBy(() -> requests.completeRequest(irp))
        .isInstanceOfSatisfying(BugCheckException.class,
            e -> assertThat(e.bugCheck().code()).isEqualTo(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS));
  }

  /**
   * Without Driver Verifier, NT completes a request whose IoStatus still says STATUS_PENDING (Wine
   * {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c}, {@code do_return_status}, ret and iosb both
   * STATUS_PENDING, on Windows); under I/O verification it is bug check 0xC9/6, which {@code
   * IoStatusRulesTest} shows.
   */
  @Test
  void completingARequestWithStatusPendingIsNoBugCheckWithoutTheVerifier() {
    KernelIrp irp = new KernelIrp(1, ProcessorMode.KERNEL, null, null, null);

    lab.kernel.io().requests.completeRequest(irp);

    assertThat(irp.isFinished()).isTrue();
    assertThat(irp.ioStatus().status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  private void completePending(ntio.ddk.Handle handle) {
    IoResult done = lab.nt.ntDeviceIoControlFile(client, handle,
        IrpLabDriver.IOCTL_COMPLETE_PENDING, null, 0);
    assertThat(done.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
