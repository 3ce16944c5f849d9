package ntio.host.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ntio.kernel.CrashDumps;
import ntio.kernel.Kernel;
import ntio.hostfs.FileTrust;
import ntio.hostfs.FileTrust.Kind;
import ntio.hostfs.HostFiles;

/**
 * Decides whether a host may boot on a state directory: only if the directory is the host's.
 *
 * <p>A host runs as root and runs the code its hive names. A state directory another user could
 * write is that user's root shell: they add an auto-start service, and the host's next start runs
 * its DriverEntry as root. So, before the host takes the lock or boots a kernel, {@link
 * #prepare(Path, Path)} checks, by {@link FileTrust}'s rule for the host's uid:
 *
 * <ul>
 *   <li>every directory above the state directory (owned by root or the host, writable by
 *       neither group nor others unless root-owned and sticky, as {@code /tmp});
 *   <li>the state directory itself (owned by the host, writable by neither group nor others, not
 *       a link); missing, it is made mode 0700;
 *   <li>each file and directory in it that the host trusts, when present: {@code ntio.lock}, {@code
 *       registry/}, the hive, {@code SystemRoot/System32/drivers/} and the directories above it,
 *       {@code crash/} (owned by the host, not group- or other-writable, not a link, of the right
 *       kind);
 *   <li>the directories above the socket, when the socket is elsewhere.
 * </ul>
 *
 * <p>Every problem found is reported at once, each naming the exact path, what is wrong and the
 * fix. Driver images are checked when they are loaded, wherever they are ({@link
 * ntio.kernel.loader.ImagePolicy#requiringOwnership}).
 *
 * <p>Immutable and thread-safe.
 */
public final class StateDirectoryTrust {

  /** The files and directories in a state directory the host trusts, and what each must be. */
  private static final List<Entry> ENTRIES = List.of(
      new Entry(HostOptions.LOCK_FILE, Kind.REGULAR_FILE),
      new Entry(parent(Kernel.HIVE_FILE), Kind.DIRECTORY),
      new Entry(Kernel.HIVE_FILE, Kind.REGULAR_FILE),
      new Entry(Kernel.SYSTEM_ROOT, Kind.DIRECTORY),
      new Entry(Kernel.SYSTEM_ROOT + "/System32", Kind.DIRECTORY),
      new Entry(Kernel.SYSTEM_ROOT + "/System32/drivers", Kind.DIRECTORY),
      new Entry(CrashDumps.CRASH_DIRECTORY, Kind.DIRECTORY));

  private record Entry(String relativePath, Kind kind) {}

  private final FileTrust trust;

  /** Trust as {@code trust} says (tests pass another uid's). */
  public StateDirectoryTrust(FileTrust trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  /** Trust as this process, by its effective uid. */
  public static StateDirectoryTrust forThisProcess() {
    return new StateDirectoryTrust(FileTrust.forThisProcess());
  }

  /** The rule, for the kernel's image loader. */
  public FileTrust fileTrust() {
    return trust;
  }

  /**
   * Checks the state directory (creating it, mode 0700, if it is missing and may be created) and
   * the socket's directories, as the class comment says.
   *
   * @throws UntrustedStateDirectoryException naming every problem, if any
   * @throws UncheckedIOException if the missing state directory cannot be created
   */
  public void prepare(Path stateDirectory, Path socket) {
    Path state = stateDirectory.toAbsolutePath().normalize();
    List<FileTrust.Problem> problems = new ArrayList<>();
    trust.checkAncestors(state).ifPresent(problems::add);
    if (problems.isEmpty() && !Files.exists(state, LinkOption.NOFOLLOW_LINKS)) {
      try {
        HostFiles.createPrivateDirectories(state);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the state directory " + state, e);
      }
    }
    if (problems.isEmpty()) {
      problems.addAll(problemsInside(state));
    }
    Path socketPath = socket.toAbsolutePath().normalize();
    if (!state.equals(socketPath.getParent())) {
      trust.checkAncestors(socketPath).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new UntrustedStateDirectoryException(state, trust.uid(), problems);
    }
  }

  /**
   * The problems of an existing state directory and of what the host trusts in it; empty when it
   * may be used. Its ancestors are {@link FileTrust#checkAncestors}'s concern.
   */
  List<FileTrust.Problem> problemsInside(Path state) {
    Optional<FileTrust.Problem> own = trust.checkOwn(state, Kind.DIRECTORY);
    if (own.isPresent()) {
      // Nothing in a directory another user controls is worth looking at.
      return List.of(own.get());
    }
    List<FileTrust.Problem> problems = new ArrayList<>();
    for (Entry entry : ENTRIES) {
      Path path = state.resolve(entry.relativePath());
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        trust.checkOwn(path, entry.kind()).ifPresent(problems::add);
      }
    }
    return problems;
  }

  private static String parent(String relativePath) {
    return relativePath.substring(0, relativePath.lastIndexOf('/'));
  }

  /** The host refuses a state directory it cannot trust. */
  public static final class UntrustedStateDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<FileTrust.Problem> problems;

    /**
     * @param state the directory refused (or the one holding the refused file)
     * @param uid the host's uid
     * @param problems what is wrong, at least one
     */
    public UntrustedStateDirectoryException(Path state, int uid, List<FileTrust.Problem> problems) {
      super(message(state, uid, problems));
      this.problems = List.copyOf(problems);
    }

    /** Every problem found. */
    public List<FileTrust.Problem> problems() {
      return problems;
    }

    private static String message(Path state, int uid, List<FileTrust.Problem> problems) {
      StringBuilder text = new StringBuilder("refusing to use ").append(state)
          .append(": another user could make this host (uid ")
          .append(uid).append(") run their code");
      for (FileTrust.Problem problem : problems) {
        text.append("\n  ").append(problem.describe());
      }
      return text.toString();
    }
  }
}
