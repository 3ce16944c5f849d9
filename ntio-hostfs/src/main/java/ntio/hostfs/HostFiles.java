package ntio.hostfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates the files and directories the kernel and the host keep on the host file system, each
 * with an exact POSIX mode whatever the process umask: directories {@link #PRIVATE_DIRECTORY}
 * (0700), files {@link #PRIVATE_FILE} (0600), unless the caller names another mode. No NT
 * counterpart (NT gives a new file the security descriptor its creator passes, not a umask).
 *
 * <p>Every creation passes the mode to {@code open(2)}/{@code mkdir(2)} as the file attribute, so
 * there is no moment at which the new file has a wider mode than asked: the umask can only take
 * bits away. When it took some (a umask of 077 leaves a 0755 directory 0700), the mode is set to
 * the exact one afterwards, which only adds back bits the caller asked for. Nothing here follows a
 * symbolic link at the last component: a link where a file is to be created fails with {@link
 * FileAlreadyExistsException}, and a file is opened with {@link LinkOption#NOFOLLOW_LINKS}.
 *
 * <p>On a file system with no POSIX permissions the files are created plainly.
 *
 * <p>Stateless and thread-safe.
 */
public final class HostFiles {

  /** rwx------: a directory only its owner may list, enter or change. */
  public static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  /** rw-------: a file only its owner may read or write. */
  public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

  /** rwxr-xr-x: a directory others may enter and list but not change. */
  public static final Set<PosixFilePermission> SHARED_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

  private HostFiles() {}

  /**
   * Creates {@code directory} and every missing directory above it, each with mode {@code mode}.
   * Directories that already exist are left as they are (their trust is the caller's concern; see
   * {@link FileTrust}).
   *
   * @throws IOException if one cannot be created, or a path on the way exists and is not a
   *     directory
   */
  public static void createDirectories(Path directory, Set<PosixFilePermission> mode) throws IOException {
    Path absolute = directory.toAbsolutePath().normalize();
    List<Path> missing = new ArrayList<>();
    for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(p);
    }
    Collections.reverse(missing);
    for (Path p : missing) {
      try {
        if (posix()) {
          Files.createDirectory(p, PosixFilePermissions.asFileAttribute(mode));
          exactMode(p, mode);
        } else {
          Files.createDirectory(p);
        }
      } catch (FileAlreadyExistsException e) {
        // Another thread or process made it first; it is a directory or the next call fails.
        if (!Files.isDirectory(p)) {
          throw e;
        }
      }
    }
  }

  /** {@link #createDirectories(Path, Set)} with mode 0700. */
  public static void createPrivateDirectories(Path directory) throws IOException {
    createDirectories(directory, PRIVATE_DIRECTORY);
  }

  /**
   * Creates {@code file}, which must not exist (a symbolic link there counts as existing), with
   * mode {@code mode}.
   *
   * @throws FileAlreadyExistsException if something is there
   */
  public static void createFile(Path file, Set<PosixFilePermission> mode) throws IOException {
    if (posix()) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
      exactMode(file, mode);
    } else {
      Files.createFile(file);
    }
  }

  /**
   * Opens {@code file} as {@link FileChannel#open} would with {@code options}, never following a
   * symbolic link at its last component; a file that {@code CREATE} makes gets mode {@code mode}.
   */
  public static FileChannel open(Path file, Set<PosixFilePermission> mode, OpenOption... options)
      throws IOException {
    Set<OpenOption> all = new HashSet<>(List.of(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    boolean created = all.contains(StandardOpenOption.CREATE_NEW)
        || (all.contains(StandardOpenOption.CREATE) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    FileChannel channel = posix()
        ? FileChannel.open(file, all, PosixFilePermissions.asFileAttribute(mode))
        : FileChannel.open(file, all);
    if (created && posix()) {
      try {
        exactMode(file, mode);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    }
    return channel;
  }

  /**
   * Writes {@code content} to {@code target} through a new hidden sibling of mode {@code mode},
   * moved into place: readers see the old file or the whole new one, and the new one has exactly
   * that mode whatever the umask and whatever mode the old one had. A link at {@code target} is
   * replaced, not followed.
   */
  public static void replace(Path target, InputStream content, Set<PosixFilePermission> mode) throws IOException {
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    try {
      try (FileChannel channel = open(temporary, mode, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        content.transferTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The mode, as {@code ls -l} shows it and as octal: "0700 (rwx------)". */
  public static String describeMode(Set<PosixFilePermission> mode) {
    return String.format("%04o (%s)", octal(mode), PosixFilePermissions.toString(mode));
  }

  /** The permission bits as a number: rwxr-x--- is 0750. */
  public static int octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      // The enum is in the order OWNER_READ … OTHERS_EXECUTE: bit 8 down to bit 0.
      bits |= 1 << (8 - p.ordinal());
    }
    return bits;
  }

  private static void exactMode(Path path, Set<PosixFilePermission> mode) throws IOException {
    Set<PosixFilePermission> actual = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (!actual.equals(mode)) {
      // The umask took bits away: setting the exact mode only adds back what was asked for.
      Files.setPosixFilePermissions(path, mode);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** The mode as a file attribute, for a creation call made elsewhere. */
  public static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }
}
