package ntio.api;

/**
 * The Unix process id of a client process of the kernel — the {@code ntio} CLI, a shell, a program
 * using {@code Ntio.connect} — as far as the host could establish it, next to the kernel's own
 * process id. A row of {@link Holder} and {@link HandleEntry} carries one.
 *
 * <p>The JDK reports a Unix socket peer's user and group ({@code SO_PEERCRED}) but not its pid, so
 * a client states its pid in its HELLO (protocol version 5) and the host checks the claim against
 * {@code /proc}: the process exists and its effective uid is the socket peer's uid. A client can
 * still name another process of its own user, so the pid is {@link Trust#CLAIMED}, not proven; a
 * claim that fails the check is not shown at all ({@link #UNKNOWN}).
 *
 * @param pid the Unix process id, or 0 when {@link Trust#UNKNOWN}
 * @param trust how far the host checked it
 */
public record UnixPid(long pid, Trust trust) {

  /** No Unix pid: a kernel-mode process, an embedded caller, or a client that stated none. */
  public static final UnixPid UNKNOWN = new UnixPid(0, Trust.UNKNOWN);

  /** How far a pid was checked. */
  public enum Trust {
    /** No pid is known. */
    UNKNOWN,
    /**
     * The client stated it, and the host found a process with that pid whose effective uid is the
     * socket peer's: right unless a process of that same user lies.
     */
    CLAIMED
  }

  /** Checks the pair: a known pid is positive, an unknown one 0. */
  public UnixPid {
    java.util.Objects.requireNonNull(trust, "trust");
    if ((trust == Trust.UNKNOWN) != (pid == 0) || pid < 0) {
      throw new IllegalArgumentException("pid " + pid + " with trust " + trust);
    }
  }

  /** A pid the client stated and the host checked against {@code /proc}. */
  public static UnixPid claimed(long pid) {
    return new UnixPid(pid, Trust.CLAIMED);
  }

  /** Whether a pid is known. */
  public boolean isKnown() {
    return trust != Trust.UNKNOWN;
  }

  /** The pid in decimal, or {@code -} when none is known: the form listings print. */
  public String text() {
    return isKnown() ? Long.toString(pid) : "-";
  }
}
