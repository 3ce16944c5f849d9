package ntio.ddk.testkit;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverEntry;
import ntio.ddk.FileObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DriverResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * Just enough of a kernel to run a driver's routines, or the framework, on {@link TestIrp}s without
 * booting one: devices that carry an extension and the device they are attached to, builtin driver
 * objects, file objects, and kernel services. {@code IoCompleteRequest} checks the rules the real
 * one bug-checks on (a second completion, 0x44; {@code STATUS_PENDING} in {@code IoStatus}, 0xC9 as
 * the I/O verifier does), records the order of completions and walks the completion routines
 * bottom-up; {@code IoCallDriver} moves the request down a location and records it, the device
 * below answering with a status the test chooses. Pool is Java memory charged to a driver; the
 * registry holds what the test set; verifier breaks and bug checks are recorded. Each thread has
 * an IRQL, and {@code IoCancelIrp} of a request on one of this kernel's devices calls its cancel
 * routine at DISPATCH_LEVEL holding the kernel's cancel spin lock ({@link TestDispatcher}). Any
 * other service is unsupported.
 */
public final class TestKernel {

  /** A pool block not freed yet, and the driver it is charged to (null for a bare test's). */
  public record PoolAllocation(String driver, PoolBlock block) {}

  private final List<Irp> completed = new CopyOnWriteArrayList<>();
  private final List<Irp> sentDown = new CopyOnWriteArrayList<>();
  private final List<VerifierFinding> findings = new CopyOnWriteArrayList<>();
  private final List<BugCheck> bugChecks = new CopyOnWriteArrayList<>();
  private final AtomicLong nextPoolAddress = new AtomicLong(0xFFFF_8000_0000_1000L);
  private final List<PoolAllocation> livePool = new CopyOnWriteArrayList<>();
  private final TestRegistry registry = new TestRegistry();
  private final KernelServices services = TestServices.of(this, null);
  private final TestDispatcher dispatcher = new TestDispatcher(this);
  /** The first bug check; once set the kernel is halted. */
  private volatile BugCheck halted;
  private volatile Consumer<Irp> beforeCompletion = irp -> {};
  private volatile NtStatus lowerAnswer = NtStatus.STATUS_PENDING;

  /** The kernel services a driver under test is given, when it has no driver object of the kit's. */
  public KernelServices services() {
    return services;
  }

  /** Runs {@code check} on the completing thread at the start of every {@code completeRequest}. */
  public void beforeEachCompletion(Consumer<Irp> check) {
    this.beforeCompletion = check;
  }

  /** What the device below answers {@code callDriver} with: {@code STATUS_PENDING} (it keeps the request) unless set. */
  public void answerCallDriverWith(NtStatus status) {
    this.lowerAnswer = status;
  }

  /** The requests completed so far, in the order {@code completeRequest} was called. */
  public List<Irp> completed() {
    return List.copyOf(completed);
  }

  /** The requests passed to {@code callDriver} so far. */
  public List<Irp> sentDown() {
    return List.copyOf(sentDown);
  }

  /** The verifier findings drivers reported, in order. */
  public List<VerifierFinding> findings() {
    return List.copyOf(findings);
  }

  /**
   * The bug checks raised: none, or the one that halted the kernel (later ones raise it again). A
   * read-only view that follows the kernel, so a test may keep it.
   */
  public List<BugCheck> bugChecks() {
    return Collections.unmodifiableList(bugChecks);
  }

  /** Whether a bug check halted the kernel: services then refuse, as the real kernel's do. */
  public boolean isHalted() {
    return halted != null;
  }

  /** Pool not freed yet, oldest first. */
  public List<PoolAllocation> livePool() {
    return List.copyOf(livePool);
  }

  /** Sets a registry value, creating its key: what a driver under test will read. */
  public void setValue(String keyPath, RegValue value) {
    registry.setValue(keyPath, value);
  }

  /** A device whose {@code DeviceExtension} is {@code extension}, attached to nothing. */
  public DeviceObject device(String name, Object extension) {
    return device(name, extension, null);
  }

  /** A device whose {@code DeviceExtension} is {@code extension}, attached to {@code lower}. */
  public DeviceObject device(String name, Object extension, DeviceObject lower) {
    return new TestDevice(name, extension, lower, null, null, this);
  }

  /** A file object: an open, told apart from others by identity. */
  public static FileObject file(String name) {
    return new TestFile(name);
  }

  /**
   * {@code IoCreateDriver}: creates the builtin driver {@code name}, with these services, and runs
   * {@code entry} with a null RegistryPath, as the kernel does for a builtin driver.
   */
  public DriverResult createDriver(String name, DriverEntry entry) {
    TestDriver driver = new TestDriver(UnicodeString.of(name), TestServices.of(this, name));
    NtStatus status = entry.driverEntry(driver, null);
    return new DriverResult(status, status.isSuccess() ? driver : null);
  }

  // The services' side ----------------------------------------------------------------------------

  /** The threads' IRQL and the cancel spin lock. */
  TestDispatcher dispatcher() {
    return dispatcher;
  }

  void completeRequest(Irp irp) {
    if (irp.ioStatus().status().equals(NtStatus.STATUS_PENDING)) {
      throw new AssertionError(irp + " completed with STATUS_PENDING (bug check 0xC9)");
    }
    beforeCompletion.accept(irp);
    TestIrp request = (TestIrp) irp;
    if (!request.beginCompletion()) {
      throw new AssertionError(irp + " completed twice (bug check 0x44)");
    }
    completed.add(irp);
    request.complete();
  }

  NtStatus callDriver(DeviceObject device, Irp irp) {
    if (!((TestIrp) irp).advanceTo(device)) {
      throw new AssertionError("IoCallDriver of " + irp + " with no stack location left (bug check 0x35)");
    }
    sentDown.add(irp);
    return lowerAnswer;
  }

  TestPoolBlock allocatePool(String driver, PoolType type, long size, int tag) {
    long address = nextPoolAddress.getAndAdd((size + 0x1F) & ~0xFL);
    TestPoolBlock block = new TestPoolBlock(address, Math.toIntExact(size), tag, type);
    livePool.add(new PoolAllocation(driver, block));
    return block;
  }

  void freed(PoolBlock block) {
    livePool.removeIf(allocation -> allocation.block() == block);
  }

  TestRegistry registry() {
    return registry;
  }

  void verifierBreak(String driver, String check, String message) {
    findings.add(new VerifierFinding(driver, check, message));
  }

  /**
   * {@code KeBugCheckEx}: records the first bug check, which halts the kernel, and gives what the
   * raising thread throws; after the first, every bug check raises that first one again.
   */
  BugCheckException bugCheck(int code, long p1, long p2, long p3, long p4, String driver, String message) {
    synchronized (bugChecks) {
      if (halted == null) {
        halted = new BugCheck(code, p1, p2, p3, p4, driver, message);
        bugChecks.add(halted);
      }
      return new BugCheckException(halted);
    }
  }
}
