package ntio.kernel.io.irptests.lab;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import ntio.ddk.AccessMask;
import ntio.ddk.BuiltRequest;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.FileObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceObjectPointer;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ShareAccess;
import ntio.ddk.UnicodeString;

/**
 * A test driver for the I/O path: one device, either at the bottom of a stack (it serves reads) or
 * attached on top of another (a filter that passes everything down). Its behaviour comes from
 * {@code <RegistryPath>\Parameters}:
 *
 * <ul>
 *   <li>{@code Device} (REG_SZ): the device to create.
 *   <li>{@code Lower} (REG_SZ): if present, the device to attach on top of (a filter).
 *   <li>{@code Mark} (REG_DWORD): the byte this driver writes into a read's data: a bottom driver
 *       returns it as the read's one byte; a filter's completion routine appends it after the data, so a
 *       client reading the bytes sees the order the completion routines ran in.
 *   <li>{@code Read} (REG_DWORD, bottom only): {@link #COMPLETE_AT_ONCE}, {@link #PEND},
 *       {@link #PEND_COMPLETE_FROM_ANOTHER_THREAD}, {@link #PEND_NOT_CANCELLABLE} or
 *       {@link #PEND_CANCEL_NEVER_COMPLETES}.
 *   <li>{@code Completion} (REG_DWORD, filter only): {@link #SKIP}, {@link #CONTINUE}, {@link
 *       #MORE_PROCESSING} or {@link #COPY_WITHOUT_ROUTINE}.
 *   <li>{@code Target} (REG_SZ): makes this a forwarding driver: DriverEntry takes a pointer to
 *       that device with {@code IoGetDeviceObjectPointer} (failing with its status), and {@link
 *       #IOCTL_FORWARD_READ} builds a read for it with {@code IoBuildSynchronousFsdRequest}, sends
 *       it, waits if it pends, and returns what it read. DriverUnload releases the file object.
 *   <li>{@code Io} (REG_DWORD): how the device takes reads and writes: 0 buffered ({@code
 *       DO_BUFFERED_IO}, the default), 1 direct ({@code DO_DIRECT_IO}), 2 neither. A filter
 *       takes its lower device's flags, as NT filters do. The driver reads and writes data only
 *       through the channel its flags promise (system buffer, MDL, user buffer).
 *   <li>{@code Shutdown} (REG_DWORD): 1 registers the device for IRP_MJ_SHUTDOWN, on which the
 *       driver appends its Mark to the REG_SZ {@code Order} of {@link #SHUTDOWN_KEY}.
 *   <li>{@code Share} (REG_DWORD, bottom only): 1 makes the device enforce NT's sharing rules
 *       with {@code IoCheckShareAccess} in IRP_MJ_CREATE and {@code IoRemoveShareAccess} in
 *       IRP_MJ_CLEANUP.
 * </ul>
 *
 * <p>Device control {@link #IOCTL_COMPLETE_PENDING} completes every pending read (bottom; a
 * filter passes it down). Every other request to a bottom device succeeds at once.
 */
public final class IrpLabDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** Reads complete at once, filled with Mark. */
  public static final int COMPLETE_AT_ONCE = 0;
  /** Reads pend, cancellable, until IOCTL_COMPLETE_PENDING. */
  public static final int PEND = 1;
  /** Reads pend and a thread of the driver completes them 20 ms later. */
  public static final int PEND_COMPLETE_FROM_ANOTHER_THREAD = 2;
  /** Reads pend without a cancel routine: only IOCTL_COMPLETE_PENDING completes them. */
  public static final int PEND_NOT_CANCELLABLE = 3;
  /** Reads pend with a cancel routine that forgets to complete them: the stuck driver. */
  public static final int PEND_CANCEL_NEVER_COMPLETES = 4;

  /** The filter skips its stack location: no completion routine. */
  public static final int SKIP = 0;
  /** The filter sets a completion routine that appends Mark and lets completion continue. */
  public static final int CONTINUE = 1;
  /**
   * The filter's routine returns STATUS_MORE_PROCESSING_REQUIRED; its dispatch routine waits for
   * it, appends Mark and completes the request again.
   */
  public static final int MORE_PROCESSING = 2;
  /** The filter copies its stack location to the next one and sets no completion routine. */
  public static final int COPY_WITHOUT_ROUTINE = 3;

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA10, METHOD_BUFFERED, FILE_ANY_ACCESS)}. */
  public static final int IOCTL_COMPLETE_PENDING =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0xA10, IoControlCodes.METHOD_BUFFERED,
          IoControlCodes.FILE_ANY_ACCESS);

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA11, METHOD_BUFFERED, FILE_ANY_ACCESS)}. */
  public static final int IOCTL_FORWARD_READ =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0xA11, IoControlCodes.METHOD_BUFFERED,
          IoControlCodes.FILE_ANY_ACCESS);

  /**
   * {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA20, method, FILE_ANY_ACCESS)} for each method (add the
   * method, 0 to 3): copies the input to the output through the method's own buffers.
   */
  public static final int IOCTL_COPY_INPUT =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0xA20, IoControlCodes.METHOD_BUFFERED,
          IoControlCodes.FILE_ANY_ACCESS);

  /** Where drivers told of the shutdown write down the order they were told in. */
  public static final String SHUTDOWN_KEY =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\IrpLabShutdown";

  /** The three {@code Io} values. */
  public static final int BUFFERED = 0;
  public static final int DIRECT = 1;
  public static final int NEITHER = 2;

  /**
   * {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA12, METHOD_BUFFERED, FILE_ANY_ACCESS)}: as {@link
   * #IOCTL_FORWARD_READ}, with a request the driver allocates and frees itself.
   */
  public static final int IOCTL_FORWARD_READ_ALLOCATED =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0xA12, IoControlCodes.METHOD_BUFFERED,
          IoControlCodes.FILE_ANY_ACCESS);

  private final Object lock = new Object();
  private int ioMode;
  private FileObject targetFile;
  private DeviceObject target;
  private final List<Irp> pending = new ArrayList<>();
  private final ShareAccess share = new ShareAccess();
  private boolean enforceSharing;
  private KernelServices services;
  private DeviceObject device;
  private DeviceObject lower;
  private byte mark;
  private int readMode;
  private int completionMode;

  /** Called by the loader. */
  public IrpLabDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    String parameters = registryPath.text() + "\\Parameters";
    mark = (byte) dword(parameters, "Mark", 'x');
    readMode = dword(parameters, "Read", COMPLETE_AT_ONCE);
    completionMode = dword(parameters, "Completion", SKIP);
    enforceSharing = dword(parameters, "Share", 0) == 1;
    DeviceResult created = services.createDevice(driver, null,
        UnicodeString.of(string(parameters, "Device")), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    device = created.device();
    ioMode = dword(parameters, "Io", BUFFERED);
    device.setFlags(ioMode == BUFFERED ? DeviceFlags.DO_BUFFERED_IO
        : ioMode == DIRECT ? DeviceFlags.DO_DIRECT_IO : 0);
    if (dword(parameters, "Shutdown", 0) == 1) {
      services.registerShutdownNotification(device);
    }
    String targetName = string(parameters, "Target");
    if (targetName != null) {
      DeviceObjectPointer pointer = services.getDeviceObjectPointer(UnicodeString.of(targetName),
          AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE);
      if (!pointer.status().isSuccess()) {
        services.deleteDevice(device);
        return pointer.status();
      }
      targetFile = pointer.file();
      target = pointer.device();
    }
    String lowerName = string(parameters, "Lower");
    if (lowerName != null) {
      DeviceResult attached = services.attachDevice(device, UnicodeString.of(lowerName));
      if (!attached.status().isSuccess()) {
        services.deleteDevice(device);
        return attached.status();
      }
      lower = attached.device();
      device.clearFlags(DeviceFlags.DO_BUFFERED_IO | DeviceFlags.DO_DIRECT_IO);
      device.setFlags(lower.flags() & (DeviceFlags.DO_BUFFERED_IO | DeviceFlags.DO_DIRECT_IO));
      ioMode = (lower.flags() & DeviceFlags.DO_BUFFERED_IO) != 0 ? BUFFERED
          : (lower.flags() & DeviceFlags.DO_DIRECT_IO) != 0 ? DIRECT : NEITHER;
    }
    for (int major = 0; major <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; major++) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    if (targetFile != null) {
      services.dereferenceObject(targetFile);
    }
    if (lower != null) {
      services.detachDevice(lower);
    }
    services.deleteDevice(device);
  }

  @Override
  public NtStatus dispatch(DeviceObject on, Irp irp) {
    if (irp.currentStackLocation().majorFunction() == MajorFunctions.IRP_MJ_SHUTDOWN) {
      noteShutdown();
      irp.ioStatus().setInformation(0);
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    if (target != null && irp.currentStackLocation().majorFunction() == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        && irp.currentStackLocation().ioControlCode() == IOCTL_FORWARD_READ) {
      return forwardRead(irp);
    }
    if (target != null && irp.currentStackLocation().majorFunction() == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        && irp.currentStackLocation().ioControlCode() == IOCTL_FORWARD_READ_ALLOCATED) {
      return forwardReadAllocated(irp);
    }
    return lower != null ? filter(irp) : serve(irp);
  }

  /** As {@link #forwardRead}, with IoAllocateIrp, a completion routine that keeps it, IoFreeIrp. */
  private NtStatus forwardReadAllocated(Irp irp) {
    int length = irp.currentStackLocation().outputBufferLength();
    byte[] buffer = new byte[length];
    Irp read = services.allocateIrp(target.stackSize(), buffer);
    IoStackLocation next = read.nextStackLocation();
    next.setMajorFunction(MajorFunctions.IRP_MJ_READ);
    next.setLength(length);
    next.setFileObject(targetFile);
    CountDownLatch done = new CountDownLatch(1);
    read.setCompletionRoutine(new SignalAndStop(), done, true, true, true);
    services.callDriver(target, read);
    awaitUninterruptibly(done);
    NtStatus status = read.ioStatus().status();
    int count = (int) read.ioStatus().information();
    services.freeIrp(read);
    System.arraycopy(buffer, 0, irp.systemBuffer(), 0, count);
    irp.ioStatus().setInformation(count);
    return complete(irp, status);
  }

  /** Reads from the target device with a request of its own and returns what came back. */
  private NtStatus forwardRead(Irp irp) {
    int length = irp.currentStackLocation().outputBufferLength();
    BuiltRequest read = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_READ, target,
        null, length, 0);
    read.irp().nextStackLocation().setFileObject(targetFile);
    NtStatus status = services.callDriver(target, read.irp());
    if (status.equals(NtStatus.STATUS_PENDING)) {
      status = read.await();
    }
    byte[] data = read.output();
    System.arraycopy(data, 0, irp.systemBuffer(), 0, data.length);
    irp.ioStatus().setInformation(data.length);
    return complete(irp, status);
  }

  // The filter ------------------------------------------------------------------------------------

  private NtStatus filter(Irp irp) {
    int major = irp.currentStackLocation().majorFunction();
    if (major != MajorFunctions.IRP_MJ_READ || completionMode == SKIP) {
      irp.skipCurrentStackLocation();
      return services.callDriver(lower, irp);
    }
    irp.copyCurrentStackLocationToNext();
    if (completionMode == COPY_WITHOUT_ROUTINE) {
      return services.callDriver(lower, irp);
    }
    if (completionMode == CONTINUE) {
      irp.setCompletionRoutine(new AppendMark(), null, true, true, true);
      return services.callDriver(lower, irp);
    }
    CountDownLatch lowerDone = new CountDownLatch(1);
    irp.setCompletionRoutine(new SignalAndStop(), lowerDone, true, true, true);
    services.callDriver(lower, irp);
    awaitUninterruptibly(lowerDone);
    append(irp, mark);
    NtStatus status = irp.ioStatus().status();
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }

  /**
   * Appends Mark to the read's data — in lower case when the driver below returned pending, so a
   * test sees {@code PendingReturned} — and lets completion go on, propagating pending.
   */
  private final class AppendMark implements CompletionRoutine {
    @Override
    public NtStatus onCompletion(DeviceObject upper, Irp irp, Object context) {
      append(irp, irp.pendingReturned() ? (byte) Character.toLowerCase(mark) : mark);
      if (irp.pendingReturned()) {
        irp.markPending();
      }
      return irp.ioStatus().status();
    }
  }

  /** Wakes the dispatch routine waiting for the lower driver and keeps the request. */
  private static final class SignalAndStop implements CompletionRoutine {
    @Override
    public NtStatus onCompletion(DeviceObject upper, Irp irp, Object context) {
      ((CountDownLatch) context).countDown();
      return NtStatus.STATUS_MORE_PROCESSING_REQUIRED;
    }
  }

  private void append(Irp irp, byte value) {
    int used = (int) irp.ioStatus().information();
    ByteBuffer data = data(irp);
    if (irp.ioStatus().status().isSuccess() && used < data.limit()) {
      data.put(used, value);
      irp.ioStatus().setInformation(used + 1);
    }
  }

  /** A read's data, through the one channel the device's flags promise. */
  private ByteBuffer data(Irp irp) {
    return switch (ioMode) {
      case BUFFERED -> ByteBuffer.wrap(irp.systemBuffer());
      case DIRECT -> irp.mdlAddress().systemAddress();
      default -> irp.userBuffer();
    };
  }

  // The bottom device -----------------------------------------------------------------------------

  private NtStatus serve(Irp irp) {
    int major = irp.currentStackLocation().majorFunction();
    if (major == MajorFunctions.IRP_MJ_READ) {
      return read(irp);
    }
    if (major == MajorFunctions.IRP_MJ_QUERY_INFORMATION) {
      // Every class is answered with Mark in each byte asked for.
      int length = irp.currentStackLocation().length();
      java.util.Arrays.fill(irp.systemBuffer(), 0, length, mark);
      irp.ioStatus().setInformation(length);
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    if (enforceSharing && major == MajorFunctions.IRP_MJ_CREATE) {
      IoStackLocation stack = irp.currentStackLocation();
      NtStatus allowed;
      synchronized (lock) {
        allowed = services.checkShareAccess(stack.desiredAccess(), stack.shareAccess(),
            stack.fileObject(), share, true);
      }
      irp.ioStatus().setInformation(0);
      return complete(irp, allowed);
    }
    if (enforceSharing && major == MajorFunctions.IRP_MJ_CLEANUP) {
      synchronized (lock) {
        services.removeShareAccess(irp.currentStackLocation().fileObject(), share);
      }
    }
    if (major == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        && (irp.currentStackLocation().ioControlCode() & ~0x3) == IOCTL_COPY_INPUT) {
      return copyInput(irp);
    }
    if (major == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        && irp.currentStackLocation().ioControlCode() == IOCTL_COMPLETE_PENDING) {
      List<Irp> taken = takeAllPending();
      for (Irp read : taken) {
        fill(read);
        services.completeRequest(read, IoControlCodes.IO_NO_INCREMENT);
      }
      irp.ioStatus().setInformation(taken.size());
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    irp.ioStatus().setInformation(0);
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  /** Copies a control's input to its output through the buffers of the control code's method. */
  private NtStatus copyInput(Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    int count = Math.min(stack.inputBufferLength(), stack.outputBufferLength());
    byte[] input = new byte[count];
    int method = IoControlCodes.method(stack.ioControlCode());
    if (method == IoControlCodes.METHOD_NEITHER) {
      stack.type3InputBuffer().get(0, input);
    } else {
      System.arraycopy(irp.systemBuffer(), 0, input, 0, count);
    }
    switch (method) {
      case IoControlCodes.METHOD_BUFFERED -> System.arraycopy(input, 0, irp.systemBuffer(), 0, count);
      case IoControlCodes.METHOD_NEITHER -> irp.userBuffer().put(0, input);
      default -> {
        // METHOD_IN_DIRECT's MDL is read-only: the output buffer is a second input there.
        if (method == IoControlCodes.METHOD_IN_DIRECT) {
          irp.ioStatus().setInformation(0);
          return complete(irp, irp.mdlAddress().systemAddress().isReadOnly()
              ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL);
        }
        irp.mdlAddress().systemAddress().put(0, input);
      }
    }
    irp.ioStatus().setInformation(count);
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  private NtStatus read(Irp irp) {
    if (readMode == COMPLETE_AT_ONCE) {
      fill(irp);
      return complete(irp, NtStatus.STATUS_SUCCESS);
    }
    irp.markPending();
    if (readMode == PEND_COMPLETE_FROM_ANOTHER_THREAD) {
      Thread completer = new Thread(() -> {
        sleep(20);
        fill(irp);
        services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
      }, "irplab-completer");
      completer.start();
      return NtStatus.STATUS_PENDING;
    }
    synchronized (lock) {
      pending.add(irp);
    }
    if (readMode == PEND || readMode == PEND_CANCEL_NEVER_COMPLETES) {
      irp.setCancelRoutine(readMode == PEND ? new CancelRead() : new ForgetRead());
      if (irp.isCancelled() && irp.setCancelRoutine(null) != null) {
        // Cancelled before the routine was set: nobody will call it, so cancel here.
        if (remove(irp)) {
          irp.ioStatus().setInformation(0);
          complete(irp, NtStatus.STATUS_CANCELLED);
        }
      }
    }
    return NtStatus.STATUS_PENDING;
  }

  /** Takes the read off the queue and completes it cancelled. */
  private final class CancelRead implements CancelRoutine {
    @Override
    public void cancel(DeviceObject target, Irp irp) {
      services.releaseCancelSpinLock(irp.cancelIrql());
      if (remove(irp)) {
        irp.ioStatus().setInformation(0);
        complete(irp, NtStatus.STATUS_CANCELLED);
      }
    }
  }

  /** A cancel routine with the bug of never completing the request. */
  private final class ForgetRead implements CancelRoutine {
    @Override
    public void cancel(DeviceObject target, Irp irp) {
      services.releaseCancelSpinLock(irp.cancelIrql());
      // Forgets it: the request stays pending for ever.
    }
  }

  /** Takes every pending read whose cancel routine it could take back (or that had none). */
  private List<Irp> takeAllPending() {
    List<Irp> taken = new ArrayList<>();
    synchronized (lock) {
      for (Irp irp : List.copyOf(pending)) {
        boolean cancellable = readMode == PEND || readMode == PEND_CANCEL_NEVER_COMPLETES;
        if (!cancellable || irp.setCancelRoutine(null) != null) {
          pending.remove(irp);
          taken.add(irp);
        }
      }
    }
    return taken;
  }

  private boolean remove(Irp irp) {
    synchronized (lock) {
      return pending.remove(irp);
    }
  }

  /** A read's result: one byte of Mark (none for a zero-length read). */
  private void fill(Irp irp) {
    int length = Math.min(1, irp.currentStackLocation().length());
    if (length == 1) {
      data(irp).put(0, mark);
    }
    irp.ioStatus().setInformation(length);
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }

  private void noteShutdown() {
    HandleResult key = services.createKey(UnicodeString.of(SHUTDOWN_KEY), AccessMask.KEY_ALL_ACCESS, 0);
    if (!key.status().isSuccess()) {
      return;
    }
    try {
      ValueResult order = services.queryValueKey(key.handle(), UnicodeString.of("Order"));
      String before = order.status().isSuccess() ? order.value().stringValue().orElse("") : "";
      services.setValueKey(key.handle(), ntio.ddk.RegValue.string("Order", before + (char) mark));
    } finally {
      services.close(key.handle());
    }
  }

  // Parameters ------------------------------------------------------------------------------------

  private int dword(String key, String name, int fallback) {
    ValueResult value = query(key, name);
    return value != null ? value.value().dwordValue().orElse(fallback) : fallback;
  }

  private String string(String key, String name) {
    ValueResult value = query(key, name);
    return value != null ? value.value().stringValue().orElse(null) : null;
  }

  private ValueResult query(String key, String name) {
    HandleResult opened = services.openKey(UnicodeString.of(key), AccessMask.KEY_READ);
    if (!opened.status().isSuccess()) {
      return null;
    }
    try {
      ValueResult value = services.queryValueKey(opened.handle(), UnicodeString.of(name));
      return value.status().isSuccess() ? value : null;
    } finally {
      services.close(opened.handle());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The classes an image of this driver carries besides this one. */
  public static List<Class<?>> helperClasses() {
    return List.of(AppendMark.class, SignalAndStop.class, CancelRead.class, ForgetRead.class);
  }
}
