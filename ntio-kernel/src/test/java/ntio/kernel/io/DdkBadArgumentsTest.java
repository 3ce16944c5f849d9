package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No DDK routine lets a raw Java exception out for a bad argument a driver passes (null, a
 * negative size, an object of the wrong type or of another kernel): the call answers a status, or
 * raises the bug check NT documents for it ({@link BugCheckException}, the Java face of {@code
 * KeBugCheckEx}) — never a {@code NullPointerException}, {@code IllegalArgumentException} or
 * {@code ClassCastException} out of the kernel.
 */
class DdkBadArgumentsTest {

  private static final int TAG = 0x6B6F7250; // 'Prok'

  @TempDir Path state;
  private Kernel kernel;
  private Kernel other;
  private Prober prober;

  /** What a call gets: the calling driver's services, its driver and device, and a foreign device. */
  record Prober(KernelServices services, DriverObject driver, DeviceObject device, DeviceObject foreign) {}

  @BeforeEach
  void boot() {
    kernel = Kernel.boot(KernelConfig.of(state.resolve("one")));
    other = Kernel.boot(KernelConfig.of(state.resolve("other")));
    DeviceObject foreign = deviceOf(other, "\\Driver\\Elsewhere").device();
    Prober own = deviceOf(kernel, "\\Driver\\Prober");
    prober = new Prober(own.services(), own.driver(), own.device(), foreign);
  }

  @AfterEach
  void shutDown() {
    kernel.shutdown();
    other.shutdown();
  }

  private static Prober deviceOf(Kernel kernel, String name) {
    AtomicReference<Prober> made = new AtomicReference<>();
    NtStatus status = kernel.io().createDriver(name, (driver, path) -> {
      KernelServices.DeviceResult device = driver.services().createDevice(driver, null, null,
          DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
      made.set(new Prober(driver.services(), driver, device.device(), null));
      return device.status();
    }).status();
    assertThat(status).isEqualTo(NtStatus.STATUS_SUCCESS);
    return made.get();
  }

  private static Arguments call(String routine, Consumer<Prober> call) {
    return Arguments.of(routine, call);
  }

  static Stream<Arguments> badCalls() {
    return Stream.of(
        call("IoCreateDevice(null driver)", p -> p.services().createDevice(null, null, null, 0, 0, false)),
        call("IoCreateDevice(another driver)", p -> p.services().createDevice(p.foreign().driverObject(), null, null, 0, 0, false)),
        call("IoDeleteDevice(null)", p -> p.services().deleteDevice(null)),
        call("IoDeleteDevice(a device of another kernel)", p -> p.services().deleteDevice(p.foreign())),
        call("IoAttachDeviceToDeviceStackSafe(null, null)", p -> p.services().attachDeviceToDeviceStack(null, null)),
        call("IoAttachDeviceToDeviceStackSafe(own, foreign)", p -> p.services().attachDeviceToDeviceStack(p.device(), p.foreign())),
        call("IoAttachDevice(null, null)", p -> p.services().attachDevice(null, null)),
        call("IoAttachDevice(own, null name)", p -> p.services().attachDevice(p.device(), null)),
        call("IoDetachDevice(null)", p -> p.services().detachDevice(null)),
        call("IoGetLowerDeviceObject(null)", p -> p.services().getLowerDeviceObject(null)),
        call("IoGetRelatedDeviceObject(null)", p -> p.services().getRelatedDeviceObject(null)),
        call("IoGetAttachedDeviceReference(null)", p -> p.services().getAttachedDeviceReference(null)),
        call("IoGetDeviceAttachmentBaseRef(null)", p -> p.services().getDeviceAttachmentBaseRef(null)),
        call("IoEnumerateDeviceObjectList(null, 1)", p -> p.services().enumerateDeviceObjectList(null, 1)),
        call("IoEnumerateDeviceObjectList(own, -1)", p -> p.services().enumerateDeviceObjectList(p.driver(), -1)),
        call("IoRegisterFileSystem(null)", p -> p.services().registerFileSystem(null)),
        call("IoUnregisterFileSystem(null)", p -> p.services().unregisterFileSystem(null)),
        call("IoCompleteRequest(null)", p -> p.services().completeRequest(null, 0)),
        call("IoCallDriver(null, null)", p -> p.services().callDriver(null, null)),
        call("IoCallDriver(own, null)", p -> p.services().callDriver(p.device(), null)),
        call("IoCancelIrp(null)", p -> p.services().cancelIrp(null)),
        call("IoRegisterShutdownNotification(null)", p -> p.services().registerShutdownNotification(null)),
        call("IoUnregisterShutdownNotification(null)", p -> p.services().unregisterShutdownNotification(null)),
        call("IoGetDeviceObjectPointer(null)", p -> p.services().getDeviceObjectPointer(null, 0)),
        call("IoAllocateIrp(-1)", p -> p.services().allocateIrp(-1, null)),
        call("IoFreeIrp(null)", p -> p.services().freeIrp(null)),
        call("IoBuildDeviceIoControlRequest(null device)", p -> p.services().buildDeviceIoControlRequest(0, null, null, 0, false)),
        call("IoBuildDeviceIoControlRequest(-1 output)", p -> p.services().buildDeviceIoControlRequest(0, p.device(), null, -1, false)),
        call("IoBuildSynchronousFsdRequest(null device)", p -> p.services().buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_READ, null, null, 0, 0)),
        call("IoBuildSynchronousFsdRequest(-1 length)", p -> p.services().buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_WRITE, p.device(), null, -1, 0)),
        call("IoBuildSynchronousFsdRequest(bad major)", p -> p.services().buildSynchronousFsdRequest(99, p.device(), null, 0, 0)),
        call("IoCheckShareAccess(null, null)", p -> p.services().checkShareAccess(0, 0, null, null, false)),
        call("IoRemoveShareAccess(null, null)", p -> p.services().removeShareAccess(null, null)),
        call("IoAllocateDriverObjectExtension(null)", p -> p.services().allocateDriverObjectExtension(null, null, null)),
        call("IoAllocateDriverObjectExtension(own, null id, null)", p -> p.services().allocateDriverObjectExtension(p.driver(), null, null)),
        call("IoGetDriverObjectExtension(null)", p -> p.services().getDriverObjectExtension(null, null)),
        call("IoCreateSymbolicLink(null, null)", p -> p.services().createSymbolicLink(null, null)),
        call("IoDeleteSymbolicLink(null)", p -> p.services().deleteSymbolicLink(null)),
        call("ObReferenceObjectByName(null, null)", p -> p.services().referenceObjectByName(null, null)),
        call("ObReferenceObject(null)", p -> p.services().referenceObject(null)),
        call("ObReferenceObject(a string)", p -> p.services().referenceObject("not an object")),
        call("ObDereferenceObject(null)", p -> p.services().dereferenceObject(null)),
        call("ObDereferenceObject(a device of another kernel)", p -> p.services().dereferenceObject(p.foreign())),
        call("ExAllocatePoolWithTag(null type)", p -> p.services().allocatePoolWithTag(null, 16, TAG)),
        call("ExAllocatePoolWithTag(-1 bytes)", p -> p.services().allocatePoolWithTag(PoolType.NON_PAGED, -1, TAG)),
        call("ExFreePoolWithTag(null)", p -> p.services().freePoolWithTag(null, TAG)),
        call("ZwOpenKey(null)", p -> p.services().openKey(null, 0)),
        call("ZwCreateKey(null)", p -> p.services().createKey(null, 0, 0)),
        call("ZwQueryValueKey(null, null)", p -> p.services().queryValueKey(null, null)),
        call("ZwSetValueKey(null, null)", p -> p.services().setValueKey(null, null)),
        call("ZwSetValueKey(NULL handle, a value)", p -> p.services().setValueKey(Handle.NULL, RegValue.dword("Start", 0))),
        call("ZwClose(null)", p -> p.services().close(null)),
        call("IoCreateDriver(null, null)", p -> p.services().createDriver(null, null)),
        call("IoDeleteDriver(null)", p -> p.services().deleteDriver(null)),
        call("ZwLoadDriver(null)", p -> p.services().loadDriver(null)),
        call("ZwUnloadDriver(null)", p -> p.services().unloadDriver(null)),
        call("IoQueueWorkItem(null, null)", p -> p.services().queueWorkItem(null, null)),
        call("IoQueueWorkItem(own, null routine)", p -> p.services().queueWorkItem(p.device(), null)),
        call("ExQueueWorkItem(null)", p -> p.services().queueExWorkItem(null)),
        call("KeInitializeTimerEx(null)", p -> p.services().initializeTimer(null)),
        call("PsCreateSystemThread(null)", p -> p.services().createSystemThread(null)),
        call("EtwRegister(null)", p -> p.services().registerTraceProvider(null)),
        call("EtwUnregister(null)", p -> p.services().unregisterTraceProvider(null)),
        call("MmIsDriverVerifying(null)", p -> p.services().isDriverVerifying(null)),
        call("DbgBreakPoint(null, null)", p -> p.services().verifierBreak(null, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCalls")
  void aBadArgumentGetsAStatusOrTheDocumentedBugCheckNeverARawJavaException(String routine,
      Consumer<Prober> call) {
    Throwable escaped = null;
    try {
      call.accept(prober);
    } catch (Throwable e) {
      escaped = e;
    }
    if (escaped != null) {
      assertThat(escaped).as("%s let out", routine).isInstanceOf(BugCheckException.class);
    }
  }
}
