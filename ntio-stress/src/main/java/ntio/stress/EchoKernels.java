package ntio.stress;

import static ntio.stress.KernelSetup.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import ntio.api.IoResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.io.IoRequest;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;

/**
 * The kernels {@link CompletionVersusCancel} races on: one per race in flight, each with the Echo
 * sample driver loaded and {@code \Device\Echo} open, kept in a pool that hands a kernel out again
 * once its race ended cleanly.
 *
 * <p>A race is a {@link PendingRead}: a 1-byte overlapped read of Echo's empty FIFO, pending, whose
 * APC counts its calls. Its actors are {@link PendingRead#write} (a 1-byte write, which completes
 * the read) and {@link PendingRead#cancel} ({@code NtCancelIoFileEx} of the read);
 * {@link PendingRead#judge} waits for the read to complete and says how it did.
 *
 * <p>{@link IssueVersusRundown} takes its kernels from the same pool: a {@link DoomedClient} is a
 * new client process with Echo open, whose overlapped read races the rundown of that process.
 *
 * <p>Thread-safe: states are made, raced and judged on jcstress's threads.
 */
final class EchoKernels {

  /*
   * Implementation notes:
   *
   * Why a kernel per race, where RaceKernel shares one kernel among all races: RaceKernel's driver
   * names its device after its service, so each race gets a device of its own in one kernel. Echo's
   * device is always \Device\Echo, so a kernel has one Echo FIFO, and a write serves the oldest read
   * waiting on the whole device. jcstress keeps a stride of states alive at once, and makes the next
   * states while others are still judged; races sharing one FIFO would complete each other's reads
   * and count each other's bytes. Kernels share nothing, so each race in flight takes a kernel of
   * its own from the pool (a lane) and gives it back when its race ended as it must: the read
   * complete, one APC, the FIFO drained, no request outstanding, no bug check. Any other lane is shut
   * down, and a later race boots a fresh one, so one failure never spills into the next sample.
   *
   * The pool grows to the number of states jcstress keeps alive. In the sanity run (strides of one
   * state) that is one, so each JVM boots one kernel. In larger modes jcstress sizes its strides by
   * timing how long making and running a stride of states takes, and the first use of a new lane
   * boots a kernel, so strides stay small.
   *
   * Like RaceKernel's kernel, the pool of the JVM lives in a static final holder, made on first use;
   * a shutdown hook shuts its kernels down.
   */

  /** How long a judge waits for the read to complete and its APC to run. */
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

  /** Where the build puts Echo's image, {@code dev.ntio:ntio-drivers:jar:echo}. */
  static final String IMAGE_RESOURCE = "/ntio/stress/Echo.jar";

  /** The byte each race writes. */
  static final byte MARK = 0x5A;

  /**
   * Echo's {@code IOCTL_ECHO_QUERY_AVAILABLE}, as {@code EchoIoctl} defines it: that class is in the
   * image, which the kernel loads, and not on this module's class path.
   */
  static final int IOCTL_ECHO_QUERY_AVAILABLE = IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x800,
      IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);

  /** How the read ended, in {@link Verdict#read()}: still pending when the judge gave up. */
  static final int READ_PENDING = 0;

  /** {@code STATUS_SUCCESS}, one byte, and it is {@link #MARK}. */
  static final int READ_COMPLETED = 1;

  /** {@code STATUS_CANCELLED}, no byte. */
  static final int READ_CANCELLED = 2;

  /** Any other status, byte count or byte. */
  static final int READ_OTHER = 3;

  private static final String SERVICE = "Echo";
  private static final String DEVICE = "\\Device\\Echo";
  private static final long POLL_NANOS = 50_000;

  private static final class Holder {
    static final EchoKernels INSTANCE = create();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "ntio-stress echo shutdown"));
    }
  }

  private final byte[] image;
  private final Duration settleTimeout;
  private final ConcurrentLinkedQueue<Lane> free = new ConcurrentLinkedQueue<>();
  private final Set<Lane> lanes = ConcurrentHashMap.newKeySet();

  private EchoKernels(byte[] image, Duration settleTimeout) {
    this.image = image;
    this.settleTimeout = settleTimeout;
  }

  /** The pool of this JVM, made on first use. */
  static EchoKernels instance() {
    return Holder.INSTANCE;
  }

  /**
   * A new, empty pool whose judges wait at most {@link #SETTLE_TIMEOUT}; {@link #close} shuts its
   * kernels down.
   */
  static EchoKernels create() {
    return create(SETTLE_TIMEOUT);
  }

  /** A new, empty pool whose judges wait at most {@code settleTimeout}. */
  static EchoKernels create(Duration settleTimeout) {
    return new EchoKernels(KernelSetup.readImage(IMAGE_RESOURCE), settleTimeout);
  }

  /**
   * Takes a kernel from the pool (booting one if none is free) and issues a 1-byte overlapped read
   * of its empty FIFO.
   *
   * @throws IllegalStateException naming the step and status if the boot fails or the read does
   *     not pend
   */
  PendingRead arm() {
    Lane lane = free.poll();
    if (lane == null) {
      lane = Lane.boot(image);
      lanes.add(lane);
    }
    try {
      return new PendingRead(lane);
    } catch (RuntimeException e) {
      retire(lane);
      throw e;
    }
  }

  /**
   * Takes a kernel from the pool (booting one if none is free) and opens {@code \Device\Echo} as a
   * new client process, for a race of that process's rundown against its own read.
   *
   * @throws IllegalStateException naming the step and status if the boot or the open fails
   */
  DoomedClient doom() {
    Lane lane = free.poll();
    if (lane == null) {
      lane = Lane.boot(image);
      lanes.add(lane);
    }
    try {
      return new DoomedClient(lane);
    } catch (RuntimeException e) {
      retire(lane);
      throw e;
    }
  }

  /** How many kernels the pool holds, free or racing. */
  int kernels() {
    return lanes.size();
  }

  /** Shuts every kernel of the pool down. */
  void close() {
    for (Lane lane : List.copyOf(lanes)) {
      retire(lane);
    }
  }

  private void retire(Lane lane) {
    lanes.remove(lane);
    lane.close();
  }

  /**
   * A race: a read pending on a lane's Echo FIFO, the write and the cancel that race for it, and the
   * judge. Every method can be called from any thread; {@link #judge} once, after both actors.
   */
  final class PendingRead {

    private final Lane lane;
    private final AtomicInteger apcs = new AtomicInteger();
    private final IoRequest request;
    private volatile IoResult written;
    private volatile NtStatus cancelled;

    private PendingRead(Lane lane) {
      this.lane = lane;
      AtomicInteger calls = apcs;
      this.request = lane.nt.ntReadFileAsync(lane.client, lane.echo, 1, 0, completed -> calls.incrementAndGet());
      if (!request.status().equals(NtStatus.STATUS_PENDING)) {
        throw new IllegalStateException("NtReadFile of an empty \\Device\\Echo returned " + request.status()
            + ", not STATUS_PENDING");
      }
    }

    /** The lane's kernel: the one this race runs on. */
    Kernel kernel() {
      return lane.kernel;
    }

    /** The read in flight. */
    IoRequest request() {
      return request;
    }

    /** {@code NtWriteFile} of one byte, {@link #MARK}, which completes the read unless cancelled. */
    void write() {
      written = lane.nt.ntWriteFile(lane.client, lane.echo, new byte[] {MARK}, 0);
    }

    /** {@code NtCancelIoFileEx} of the read. */
    void cancel() {
      cancelled = lane.nt.ntCancelIoFileEx(lane.client, lane.echo, request);
    }

    /**
     * Waits, at most the pool's settle timeout ({@link #SETTLE_TIMEOUT} unless made otherwise),
     * until the read completed and its APC ran; then says how it ended, counts the FIFO's bytes and
     * drains them. The lane goes back to the pool only if the race ended as it must, with the FIFO
     * empty and nothing outstanding; otherwise its kernel is shut down.
     */
    Verdict judge() {
      long deadline = System.nanoTime() + settleTimeout.toNanos();
      boolean complete = request.await(settleTimeout);
      // The APC runs after the status block is set, on a System worker: wait for its first call,
      // then for everything queued on that queue by then, so that a second call would have run too.
      while (complete && apcs.get() == 0 && System.nanoTime() - deadline < 0) {
        LockSupport.parkNanos(POLL_NANOS);
      }
      lane.awaitQueuedWork(deadline);
      int read = complete ? howItEnded() : READ_PENDING;
      int left = lane.available();
      // A read of an empty Echo waits for a write that will never come: only drain what is there.
      boolean drained = left == 0 || (left > 0 && lane.drain(left) && lane.available() == 0);
      Verdict verdict = new Verdict(read, apcs.get(), left, lane.bugCheck(), callsAnswered(read));
      if (verdict.acceptable() && drained && lane.idle()) {
        free.add(lane);
      } else {
        retire(lane);
      }
      return verdict;
    }

    private int howItEnded() {
      NtStatus status = request.status();
      if (status.equals(NtStatus.STATUS_SUCCESS) && request.information() == 1) {
        byte[] data = request.data();
        return data.length == 1 && data[0] == MARK ? READ_COMPLETED : READ_OTHER;
      }
      if (status.equals(NtStatus.STATUS_CANCELLED) && request.information() == 0) {
        return READ_CANCELLED;
      }
      return READ_OTHER;
    }

    /**
     * The write succeeded with one byte; the cancel succeeded, or found nothing to cancel because
     * the write had completed the read. (It may succeed even then: the read can still be
     * outstanding, complete but not yet returned to its sender, when the cancel looks.)
     */
    private boolean callsAnswered(int read) {
      IoResult write = written;
      NtStatus cancel = cancelled;
      boolean writeAnswered = write != null && write.status().equals(NtStatus.STATUS_SUCCESS)
          && write.information() == 1;
      boolean cancelAnswered = cancel != null && (cancel.equals(NtStatus.STATUS_SUCCESS)
          || (cancel.equals(NtStatus.STATUS_NOT_FOUND) && read == READ_COMPLETED));
      return writeAnswered && cancelAnswered;
    }
  }

  /**
   * A race of a client process's rundown against a 1-byte overlapped read it issues on its own
   * handle to an empty Echo: the read must be refused ({@code STATUS_PROCESS_IS_TERMINATING}, or
   * {@code STATUS_INVALID_HANDLE} once the rundown closed the handle) or cancelled by the rundown,
   * never left pending in Echo after its process is gone. {@link #judge} once, after both actors.
   */
  final class DoomedClient {

    private final Lane lane;
    private final KThread client;
    private final Handle echo;
    private volatile IoRequest read;

    private DoomedClient(Lane lane) {
      this.lane = lane;
      this.client = lane.kernel.userSession("doomed", Sid.unixUser(1001));
      OpenResult opened = lane.nt.ntCreateFile(client, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of(DEVICE), KernelSetup.SHARE_READ_WRITE, 0);
      check("NtCreateFile(" + DEVICE + ") as a new client", opened.status());
      this.echo = opened.handle();
    }

    /** {@code NtReadFile} of one byte, overlapped, on the doomed client's handle. */
    void issue() {
      read = lane.nt.ntReadFileAsync(client, echo, 1, 0, null);
    }

    /** Terminates the client process: its rundown cancels its requests and closes its handles. */
    void runDown() {
      lane.kernel.processes().terminate(client.process(), NtStatus.STATUS_SUCCESS);
    }

    /**
     * Waits, at most the pool's settle timeout, for the read to complete; then says how it ended.
     * The lane goes back to the pool only if the read ended and Echo is open only by the lane's own
     * client again.
     */
    RundownVerdict judge() {
      IoRequest request = read;
      int how;
      if (request == null || !request.await(settleTimeout)) {
        how = READ_PENDING;
      } else if (request.status().equals(NtStatus.STATUS_PROCESS_IS_TERMINATING)
          || request.status().equals(NtStatus.STATUS_INVALID_HANDLE)) {
        how = RundownVerdict.REFUSED;
      } else if (request.status().equals(NtStatus.STATUS_CANCELLED)) {
        how = READ_CANCELLED;
      } else {
        how = READ_OTHER;
      }
      int opens = lane.echoOpens();
      RundownVerdict verdict = new RundownVerdict(how, opens, lane.bugCheck());
      if (verdict.acceptable() && lane.idle()) {
        free.add(lane);
      } else {
        retire(lane);
      }
      return verdict;
    }
  }

  /**
   * How a rundown race ended.
   *
   * @param read {@link #REFUSED}, {@link #READ_CANCELLED}, {@link #READ_PENDING} (orphaned) or
   *     {@link #READ_OTHER}
   * @param echoOpens Echo's open count afterwards: 1, the lane's own client, unless something of
   *     the dead process still holds it open; -1 if it could not be asked
   * @param bugCheck the code of the bug check that halted the kernel, 0 if none did
   */
  record RundownVerdict(int read, int echoOpens, int bugCheck) {

    /** How the read ended: refused before any driver saw it. */
    static final int REFUSED = 4;

    /** Whether the race ended in one of the two ways it may. */
    boolean acceptable() {
      return (read == REFUSED || read == READ_CANCELLED) && echoOpens == 1 && bugCheck == 0;
    }
  }

  /**
   * How a race ended.
   *
   * @param read how the read ended: {@link #READ_COMPLETED}, {@link #READ_CANCELLED},
   *     {@link #READ_PENDING} or {@link #READ_OTHER}
   * @param apcs how many times its APC ran
   * @param bytesLeft how many bytes the FIFO held after the race, before the judge drained them; -1
   *     if {@code IOCTL_ECHO_QUERY_AVAILABLE} failed
   * @param bugCheck the code of the bug check that halted the kernel, 0 if none did
   * @param callsAnswered whether the write and the cancel answered as NT allows: the write
   *     succeeded with one byte; the cancel succeeded, or found nothing outstanding because the
   *     write had completed the read
   */
  record Verdict(int read, int apcs, int bytesLeft, int bugCheck, boolean callsAnswered) {

    /** The write won and the read has the byte. */
    static final Verdict COMPLETED = new Verdict(READ_COMPLETED, 1, 0, 0, true);

    /** The cancel won and the byte waits in the FIFO. */
    static final Verdict CANCELLED = new Verdict(READ_CANCELLED, 1, 1, 0, true);

    /** Whether the race ended in one of the two ways it may. */
    boolean acceptable() {
      return equals(COMPLETED) || equals(CANCELLED);
    }
  }

  /** One kernel with Echo loaded and {@code \Device\Echo} open for reading and writing. */
  private static final class Lane {

    private final Path stateDirectory;
    private final Kernel kernel;
    private final SystemServices nt;
    private final KThread client;
    private final Handle echo;

    private Lane(Path stateDirectory, Kernel kernel, KThread client, Handle echo) {
      this.stateDirectory = stateDirectory;
      this.kernel = kernel;
      this.nt = kernel.services();
      this.client = client;
      this.echo = echo;
    }

    /** Boots a kernel on a new temporary directory, installs and loads Echo, opens its device. */
    static Lane boot(byte[] image) {
      Path stateDirectory;
      try {
        stateDirectory = Files.createTempDirectory("ntio-stress-echo-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot set up an Echo kernel", e);
      }
      Kernel kernel = Kernel.boot(KernelConfig.of(stateDirectory));
      try {
        SystemServices nt = kernel.services();
        KThread client = kernel.administratorSession("jcstress", Sid.unixUser(1000));
        check("NtAdjustPrivilegesToken(SeLoadDriverPrivilege)", nt.ntAdjustPrivilegesToken(client,
            List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());
        UnicodeString key = KernelSetup.installService(stateDirectory, nt, client, SERVICE, image);
        check("NtLoadDriver(" + SERVICE + ")", nt.ntLoadDriver(client, key));
        OpenResult opened = nt.ntCreateFile(client, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
            ObjectAttributes.of(DEVICE), KernelSetup.SHARE_READ_WRITE, 0);
        check("NtCreateFile(" + DEVICE + ")", opened.status());
        return new Lane(stateDirectory, kernel, client, opened.handle());
      } catch (RuntimeException | Error e) {
        kernel.shutdown();
        KernelSetup.deleteStateDirectory(stateDirectory);
        throw e;
      }
    }

    /** The FIFO's byte count, by {@code IOCTL_ECHO_QUERY_AVAILABLE}; -1 if that fails. */
    int available() {
      IoResult answer =
          nt.ntDeviceIoControlFile(client, echo, IOCTL_ECHO_QUERY_AVAILABLE, null, Integer.BYTES);
      if (!answer.status().equals(NtStatus.STATUS_SUCCESS) || answer.data().length < Integer.BYTES) {
        return -1;
      }
      return ByteBuffer.wrap(answer.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    /** A synchronous read of {@code count} bytes, which are in the FIFO: whether it got them all. */
    boolean drain(int count) {
      IoResult answer = nt.ntReadFile(client, echo, count, 0);
      return answer.status().equals(NtStatus.STATUS_SUCCESS) && answer.information() == count;
    }

    /** Waits until the critical work queue (where APCs run) completed what was queued by now. */
    void awaitQueuedWork(long deadline) {
      long queued = kernel.workQueues().statistics(WorkQueueType.CRITICAL).queued();
      while (kernel.workQueues().statistics(WorkQueueType.CRITICAL).completed() < queued
          && System.nanoTime() - deadline < 0) {
        LockSupport.parkNanos(POLL_NANOS);
      }
    }

    /** Echo's open count (its device's ReferenceCount); -1 if it cannot be asked. */
    int echoOpens() {
      var echo = kernel.io().describeDevice(DEVICE);
      return echo.status().isSuccess() ? echo.device().referenceCount() : -1;
    }

    /** The code of the bug check that halted this kernel, 0 if it runs. */
    int bugCheck() {
      return kernel.bugChecks().first().map(BugCheck::code).orElse(0);
    }

    /** Whether the kernel runs and the client has no request outstanding. */
    boolean idle() {
      return kernel.isRunning() && kernel.io().fileCalls().outstandingOf(client.process()).isEmpty();
    }

    void close() {
      kernel.shutdown();
      KernelSetup.deleteStateDirectory(stateDirectory);
    }
  }
}
