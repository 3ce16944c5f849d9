package ntio.hostfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a host file may be trusted by a process running as one uid: the rule sshd's {@code
 * StrictModes} applies to {@code authorized_keys}, applied to the files a privileged host reads its
 * configuration and its code from. No NT counterpart (NT protects its hives and driver images with
 * their ACLs; here the POSIX owner and mode are the ACL).
 *
 * <p>The rule, for the trusting uid {@code U}:
 *
 * <ul>
 *   <li>A file or directory the host keeps ({@link #checkOwn}) is owned by {@code U}, is not
 *       writable by its group or by others, is of the expected kind, and is not a symbolic link.
 *   <li>An image the host loads ({@link #checkImage}) is a regular file owned by root or {@code U}
 *       and writable by neither group nor others.
 *   <li>Every directory above either, up to {@code /} ({@link #checkAncestors}), is owned by root
 *       or {@code U} and writable by neither group nor others, except a directory owned by root
 *       with the sticky bit (such as {@code /tmp}): there nobody but an entry's owner may rename or
 *       remove the entry, so the path below it cannot be swapped by another user. Group-writable
 *       is refused as sshd refuses it: a group's members could rename the directory below away and
 *       put their own in its place. A symbolic link on the way must be owned by root or {@code U};
 *       the directories of its target are checked as the real path's.
 * </ul>
 *
 * <p>A refusal is a {@link Problem}: the exact path, what is wrong with it (owner uid, mode, link)
 * and the command that fixes it.
 *
 * <p>Immutable and thread-safe. Implementation notes: every attribute is read with {@link
 * LinkOption#NOFOLLOW_LINKS} ({@code lstat}), so a link is seen as a link.
 */
public final class FileTrust {

  /** Root's uid: root may own anything on a trusted path. */
  public static final int ROOT_UID = 0;

  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  /** What kind of file a kept path must be. */
  public enum Kind {
    /** A directory. */
    DIRECTORY,
    /** A regular file. */
    REGULAR_FILE
  }

  /**
   * Why a path is not trusted.
   *
   * @param path the exact path that is wrong
   * @param reason what is wrong with it ("owned by uid 65534, not 0")
   * @param fix what makes it right ("chown 0 /var/lib/ntio")
   */
  public record Problem(Path path, String reason, String fix) {

    /** "/var/lib/ntio is owned by uid 65534, not 0; fix: chown 0 /var/lib/ntio". */
    public String describe() {
      return path + " " + reason + "; fix: " + fix;
    }
  }

  private final int uid;

  private FileTrust(int uid) {
    if (uid < 0) {
      throw new IllegalArgumentException("negative uid " + uid);
    }
    this.uid = uid;
  }

  /** Trust as {@code uid} trusts. */
  public static FileTrust forUid(int uid) {
    return new FileTrust(uid);
  }

  /**
   * Trust as this process trusts: its effective uid, from {@code /proc/self/status}, else the
   * owner of a file it creates.
   *
   * @throws IllegalStateException if neither tells
   */
  public static FileTrust forThisProcess() {
    return new FileTrust(effectiveUid());
  }

  /** The trusting uid. */
  public int uid() {
    return uid;
  }

  /**
   * Checks a path the host keeps for itself: it exists, is not a link, is of {@code kind}, is
   * owned by the trusting uid and is writable by neither group nor others.
   *
   * @return the first problem, or empty when it may be trusted
   */
  public Optional<Problem> checkOwn(Path path, Kind kind) {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return Optional.of(unreadable(path, e));
    }
    if (attributes.isSymbolicLink()) {
      return Optional.of(new Problem(path, "is a symbolic link, which the host does not follow",
          "rm " + path + " (the host makes it again)"));
    }
    Optional<Problem> wrongKind = kindProblem(path, attributes, kind);
    if (wrongKind.isPresent()) {
      return wrongKind;
    }
    int owner = ownerUid(path);
    if (owner != uid) {
      return Optional.of(new Problem(path, "is owned by uid " + owner + ", not by the host's uid " + uid,
          "chown " + uid + " " + path + " (after checking what is in it)"));
    }
    return writableProblem(path, attributes.permissions());
  }

  /**
   * Checks a driver image: a regular file, owned by root or the trusting uid, writable by neither
   * group nor others, in directories {@link #checkAncestors} accepts. {@code realPath} must
   * already be resolved with {@link Path#toRealPath}.
   */
  public Optional<Problem> checkImage(Path realPath) {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(realPath, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return Optional.of(unreadable(realPath, e));
    }
    Optional<Problem> wrongKind = kindProblem(realPath, attributes, Kind.REGULAR_FILE);
    if (wrongKind.isPresent()) {
      return wrongKind;
    }
    int owner = ownerUid(realPath);
    if (owner != ROOT_UID && owner != uid) {
      return Optional.of(new Problem(realPath, "is owned by uid " + owner + ", not by root or the host's uid " + uid,
          "chown " + uid + " " + realPath + " (after checking the image), or install it with sc create as the host's user"));
    }
    Optional<Problem> writable = writableProblem(realPath, attributes.permissions());
    return writable.isPresent() ? writable : checkAncestors(realPath);
  }

  /**
   * Checks every directory above {@code path} up to {@code /}, on its absolute path as given and
   * on its real path (every link resolved), as the class comment says. Components that do not
   * exist yet are skipped: whoever creates them is the host.
   */
  public Optional<Problem> checkAncestors(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    List<Path> chain = new ArrayList<>(ancestors(absolute));
    Path existing = absolute;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      try {
        Path real = existing.toRealPath();
        if (!real.equals(existing)) {
          chain.addAll(ancestors(real));
          if (!existing.equals(absolute)) {
            // The deepest existing directory above the path: what it really is must pass too.
            chain.add(real);
          }
        }
      } catch (IOException e) {
        return Optional.of(unreadable(existing, e));
      }
    }
    for (Path directory : chain) {
      Optional<Problem> problem = checkAncestor(directory);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /** The directories above {@code absolute}, from the root down; not {@code absolute} itself. */
  private static List<Path> ancestors(Path absolute) {
    List<Path> chain = new ArrayList<>();
    for (Path p = absolute.getParent(); p != null; p = p.getParent()) {
      chain.add(0, p);
    }
    return chain;
  }

  private Optional<Problem> checkAncestor(Path directory) {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(unreadable(directory, e));
    }
    int owner = ownerUid(directory);
    if (owner != ROOT_UID && owner != uid) {
      return Optional.of(new Problem(directory, "is owned by uid " + owner + ", not by root or the host's uid "
          + uid + ", so its owner could replace what is below it",
          "chown root " + directory + ", or use a state directory elsewhere"));
    }
    if (attributes.isSymbolicLink()) {
      return Optional.empty();
    }
    Set<PosixFilePermission> mode = attributes.permissions();
    boolean writable = mode.stream().anyMatch(WRITABLE_BY_OTHERS::contains);
    if (writable && !(owner == ROOT_UID && sticky(directory))) {
      return Optional.of(new Problem(directory, "is writable by "
              + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "others" : "its group")
              + " (mode " + HostFiles.describeMode(mode) + ") and is not a root-owned sticky directory,"
              + " so others could replace what is below it",
          "chmod go-w " + directory));
    }
    return Optional.empty();
  }

  private static Optional<Problem> kindProblem(Path path, PosixFileAttributes attributes, Kind kind) {
    boolean right = kind == Kind.DIRECTORY ? attributes.isDirectory() : attributes.isRegularFile();
    if (right) {
      return Optional.empty();
    }
    String what = attributes.isDirectory() ? "a directory" : attributes.isRegularFile() ? "a regular file"
        : attributes.isOther() ? "a special file (socket, FIFO or device)" : "not a file";
    return Optional.of(new Problem(path, "is " + what + ", not " + (kind == Kind.DIRECTORY ? "a directory"
        : "a regular file"), "move it away (the host makes it again)"));
  }

  private static Optional<Problem> writableProblem(Path path, Set<PosixFilePermission> mode) {
    if (mode.stream().noneMatch(WRITABLE_BY_OTHERS::contains)) {
      return Optional.empty();
    }
    return Optional.of(new Problem(path, "is writable by "
        + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "others" : "its group")
        + " (mode " + HostFiles.describeMode(mode) + ")", "chmod go-w " + path));
  }

  private static Problem unreadable(Path path, IOException e) {
    return new Problem(path, "cannot be examined (" + e + ")", "make it readable by the host's user");
  }

  /** The owner's uid; a file system that does not say is owned by nobody we trust. */
  private static int ownerUid(Path path) {
    try {
      Object value = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return value instanceof Integer id ? id : -1;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  private static boolean sticky(Path directory) {
    try {
      Object value = Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return value instanceof Integer mode && (mode & 01000) != 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The effective uid: /proc/self/status's second Uid field, else the owner of a new file. */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          String[] fields = line.substring(4).trim().split("\\s+");
          return Integer.parseInt(fields[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // No procfs (not Linux): the owner of a file this process makes is its effective uid.
    }
    Path probe = null;
    try {
      probe = Files.createTempFile("ntio-uid", ".probe");
      return ownerUid(probe);
    } catch (IOException e) {
      throw new IllegalStateException("cannot tell this process's uid", e);
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // A stray empty temporary file harms nothing.
        }
      }
    }
  }

  /** Two rules are the same when they trust the same uid. */
  @Override
  public boolean equals(Object other) {
    return other instanceof FileTrust that && that.uid == uid;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(uid);
  }

  @Override
  public String toString() {
    return "FileTrust[uid " + uid + "]";
  }
}
