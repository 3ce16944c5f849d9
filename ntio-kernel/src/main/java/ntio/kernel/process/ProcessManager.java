package ntio.kernel.process;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.QuotaBlock;
import ntio.kernel.objects.HandleTable;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.security.Token;

/**
 * The processes and threads of one kernel. Models the {@code Ps} component (partial: processes
 * have no address space; threads are the Java threads that make calls).
 *
 * <p>The System process (id 4) owns the kernel handle table. Its worker threads are made by
 * {@link #systemThreadFactory}, which binds each of them to a kernel-mode System thread, so code
 * running on a worker can ask {@link #currentThread()} where it runs — as the load path does to
 * decide whether it is already in the System process.
 */
public final class ProcessManager {

  /** The System process's id, as on Windows. */
  public static final int SYSTEM_PROCESS_ID = 4;

  private final ObjectManager objects;
  private final KProcess system;
  private final AtomicInteger nextProcessId = new AtomicInteger(SYSTEM_PROCESS_ID);
  private final AtomicInteger nextThreadNumber = new AtomicInteger();
  private final ConcurrentMap<Integer, KProcess> processes = new ConcurrentHashMap<>();
  // An instance field, not a static: each kernel knows only its own System threads.
  private final ThreadLocal<KThread> boundThread = new ThreadLocal<>();

  /**
   * Creates the System process around the object manager's kernel handle table.
   *
   * @param objects the object manager, for handle tables and rundown
   * @param systemToken the System token
   * @param systemQuota the System process's quota block
   */
  public ProcessManager(ObjectManager objects, Token systemToken, QuotaBlock systemQuota) {
    this.objects = Objects.requireNonNull(objects, "objects");
    this.system = new KProcess(SYSTEM_PROCESS_ID, "System", systemToken,
        objects.kernelHandleTable(), systemQuota);
    processes.put(system.id(), system);
  }

  /** The System process. Models {@code PsInitialSystemProcess}. */
  public KProcess systemProcess() {
    return system;
  }

  /** A kernel-mode thread of the System process. */
  public KThread systemThread() {
    return system.thread(ProcessorMode.KERNEL);
  }

  /**
   * Creates a process with its own empty handle table. Models {@code NtCreateUserProcess} as far
   * as the object side goes (partial: no image, no address space).
   *
   * @param name the image name shown in listings
   * @param token the primary token
   * @param quota the quota block for pool charged to it
   */
  public KProcess createProcess(String name, Token token, QuotaBlock quota) {
    int id = nextProcessId.addAndGet(4);
    KProcess process = new KProcess(id, name, token, new HandleTable(name + " (" + id + ")", false), quota);
    processes.put(id, process);
    return process;
  }

  /** A process by id. Models {@code PsLookupProcessByProcessId} (partial: not referenced). */
  public Optional<KProcess> lookup(int id) {
    return Optional.ofNullable(processes.get(id));
  }

  /** Every live process, by id. */
  public List<KProcess> processes() {
    List<KProcess> all = new ArrayList<>(processes.values());
    all.sort(Comparator.comparingInt(KProcess::id));
    return all;
  }

  /**
   * Terminates a process: its rundown hooks run (the I/O manager cancels its requests), then every
   * handle it holds is closed. Models {@code NtTerminateProcess} and {@code PspExitProcess}
   * (partial). The System process cannot be terminated ({@code STATUS_ACCESS_DENIED}); a process
   * already terminating answers {@code STATUS_PROCESS_IS_TERMINATING}.
   */
  public NtStatus terminate(KProcess process, NtStatus exitStatus) {
    if (process == system) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    if (!process.beginTermination(exitStatus)) {
      return NtStatus.STATUS_PROCESS_IS_TERMINATING;
    }
    try {
      for (Consumer<KProcess> hook : process.rundownHooks()) {
        hook.accept(process);
      }
    } finally {
      // A hook that unwound (a driver's cancel routine bug-checked) must not leave the process's
      // handles open: they are what lets a deferred unload finish.
      try {
        objects.runDown(process.handleTable());
      } finally {
        process.finishTermination();
        processes.remove(process.id(), process);
      }
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * A factory for System worker threads: each is a daemon Java thread bound, while it runs, to a
   * kernel-mode thread of the System process. Models {@code PsCreateSystemThread} (partial).
   */
  public ThreadFactory systemThreadFactory(String purpose) {
    return runnable -> {
      Thread thread = new Thread(() -> {
        boundThread.set(systemThread());
        try {
          runnable.run();
        } finally {
          boundThread.remove();
        }
      }, "ntio " + purpose + " " + nextThreadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The kernel thread the current Java thread is bound to, if it is a System thread. */
  public Optional<KThread> currentThread() {
    return Optional.ofNullable(boundThread.get());
  }

  /** Whether the current Java thread is one of this kernel's System threads. */
  public boolean isSystemThread() {
    return boundThread.get() != null;
  }
}
