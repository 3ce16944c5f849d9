package ntio.kernel.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.QuotaBlock;
import ntio.kernel.objects.HandleTable;
import ntio.kernel.security.Token;

/**
 * A process: a token, a handle table and the threads that act for it. Models {@code EPROCESS}
 * (partial: no address space; a client process's memory is the client's own). The System process
 * owns the kernel handle table and the system worker threads; each client of the host is a
 * process of its own, and terminating it runs its handle table down.
 */
public final class KProcess {

  /** Where a process is in its life. */
  public enum State {
    /** Running: threads may act for it. */
    RUNNING,
    /** Terminating: rundown is in progress; new calls are refused. */
    TERMINATING,
    /** Terminated: its handles are closed. */
    TERMINATED
  }

  private final int id;
  private final String name;
  private final Token token;
  private final HandleTable handleTable;
  private final QuotaBlock quota;
  private final Instant created = Instant.now();
  private final List<Consumer<KProcess>> rundownHooks = new CopyOnWriteArrayList<>();

  /** The client's Unix pid, set once by whoever made the process for a client; listings read it. */
  private volatile ntio.api.UnixPid unixPid = ntio.api.UnixPid.UNKNOWN;

  /**
   * The process's life, written only by {@link #transitionToLocked}:
   *
   * <ul>
   *   <li>RUNNING → TERMINATING: {@link ProcessManager#terminate} begins the rundown. From this
   *       instant {@link #whileRunning} refuses, so nothing new can be registered for the rundown
   *       to find: the rundown hooks see everything registered before it.
   *   <li>TERMINATING → TERMINATED: the hooks ran and the handle table is run down.
   * </ul>
   *
   * Never backwards; any other transition is an ntio bug ({@link IllegalStateException}).
   */
  @GuardedBy("this")
  private State state = State.RUNNING;

  @GuardedBy("this")
  private NtStatus exitStatus = NtStatus.STATUS_PENDING;

  KProcess(int id, String name, Token token, HandleTable handleTable, QuotaBlock quota) {
    this.id = id;
    this.name = Objects.requireNonNull(name, "name");
    this.token = Objects.requireNonNull(token, "token");
    this.handleTable = Objects.requireNonNull(handleTable, "handleTable");
    this.quota = quota;
  }

  /** The process id: a multiple of four, 4 for System. */
  public int id() {
    return id;
  }

  /** The image name, such as {@code System} or {@code ntio-client}. */
  public String name() {
    return name;
  }

  /**
   * The Unix process this kernel process stands for, as the host established it ({@code
   * UnixPid.UNKNOWN} unless {@link #setUnixPid} said otherwise).
   */
  public ntio.api.UnixPid unixPid() {
    return unixPid;
  }

  /**
   * Records the Unix process a client process stands for: the host does so once, after the
   * handshake and before the client's first call.
   */
  public void setUnixPid(ntio.api.UnixPid pid) {
    this.unixPid = Objects.requireNonNull(pid, "pid");
  }

  /** The primary token. */
  public Token token() {
    return token;
  }

  /** The process's handle table. */
  public HandleTable handleTable() {
    return handleTable;
  }

  /** When the process was created. */
  public Instant created() {
    return created;
  }

  /** The current state. */
  public synchronized State state() {
    return state;
  }

  /** The exit status; {@code STATUS_PENDING} while running. */
  public synchronized NtStatus exitStatus() {
    return exitStatus;
  }

  /** The quota block charged for pool allocated with quota on this process's behalf. */
  public QuotaBlock quotaBlock() {
    return quota;
  }

  /**
   * A thread acting for this process with the given previous mode. Models {@code ETHREAD}
   * (partial: the Java thread that makes the call plays the part).
   */
  public KThread thread(ProcessorMode previousMode) {
    return new KThread(this, previousMode);
  }

  /**
   * Registers work to run when the process is terminated, before its handles are closed — the
   * I/O manager cancels the process's requests here. A hook registered once the rundown has begun
   * would never run: register it inside {@link #whileRunning}, which refuses then.
   */
  public void onRundown(Consumer<KProcess> hook) {
    rundownHooks.add(hook);
  }

  /**
   * Runs {@code registration} under the process's rundown lock if the process is still RUNNING, and
   * says whether it ran. Models acquiring the process's rundown protection ({@code
   * ExAcquireRundownProtection} on {@code EPROCESS.RundownProtect}) (partial: held only while the
   * registration runs).
   *
   * <p>The rundown leaves RUNNING under the same lock before its hooks take their snapshots, so a
   * registration either happens before the rundown begins — and the rundown's hooks find what it
   * registered — or is refused: nothing slips in between. {@code registration} is kernel
   * bookkeeping only (it must not call driver code nor wait).
   *
   * @return true if it ran; false once termination has begun (the caller answers {@code
   *     STATUS_PROCESS_IS_TERMINATING})
   */
  public synchronized boolean whileRunning(Runnable registration) {
    if (state != State.RUNNING) {
      return false;
    }
    registration.run();
    return true;
  }

  synchronized boolean beginTermination(NtStatus status) {
    if (state != State.RUNNING) {
      return false;
    }
    transitionToLocked(State.TERMINATING);
    exitStatus = status;
    return true;
  }

  synchronized void finishTermination() {
    transitionToLocked(State.TERMINATED);
  }

  /** The only writer of {@link #state}: refuses any transition its Javadoc does not list. */
  @GuardedBy("this")
  private void transitionToLocked(State next) {
    boolean legal = switch (state) {
      case RUNNING -> next == State.TERMINATING;
      case TERMINATING -> next == State.TERMINATED;
      case TERMINATED -> false;
    };
    if (!legal) {
      throw new IllegalStateException(this + ": " + state + " -> " + next);
    }
    state = next;
  }

  List<Consumer<KProcess>> rundownHooks() {
    return rundownHooks;
  }

  @Override
  public String toString() {
    return name + " (" + id + ")";
  }
}
