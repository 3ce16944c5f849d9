package ntio.host.daemon;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import ntio.hostfs.FileTrust;
import ntio.hostfs.HostFiles;

/**
 * The lock that keeps two hosts off one state directory: an exclusive {@link FileLock} on
 * {@code <state>/ntio.lock}, whose text names the holder (pid, start time, socket) so that a
 * second host can say who is in the way.
 *
 * <p>The lock is the operating system's ({@code fcntl}), so it goes with the process: a host
 * killed with SIGKILL leaves the file behind but not the lock, and the next host takes it and
 * rewrites the text. Within one JVM a second attempt fails too ({@link
 * OverlappingFileLockException}).
 *
 * <p>The file is the host's: it is created mode 0600 whatever the umask, opened without following
 * a symbolic link, and an existing one that is a link, not a regular file, not owned by the host
 * or writable by group or others is refused before it is opened, let alone truncated (a link
 * planted there would otherwise make a root host overwrite the file it points to).
 *
 * <p>Implementation notes: {@link #release()} deletes the file before it lets the lock go, so no
 * host can lock a file that is about to disappear. A host that opened the old file just before the
 * delete may still lock the unlinked file; it would then run with no file naming it until its own
 * shutdown. That window is a few instructions wide and needs two hosts started at the same moment.
 */
public final class HostLock {

  /** Who holds a lock, as its file says. */
  public record Holder(long pid, Instant since, Path socket) {

    /** "pid 1234, since 2025-01-01T10:00:00Z, socket /var/lib/ntio/ntio.sock". */
    public String describe() {
      return "pid " + pid + ", since " + since + ", socket " + socket;
    }
  }

  /** More than a holder ever writes; a bigger file is not read past it. */
  private static final int MAXIMUM_TEXT = 4096;

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Holder holder;
  private boolean released;

  private HostLock(Path file, FileChannel channel, FileLock lock, Holder holder) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.holder = holder;
  }

  /**
   * Takes the lock on {@code file} for this process, writing its pid, now and {@code socket}; the
   * file must be this process's, by its effective uid.
   *
   * @throws StateDirectoryTrust.UntrustedStateDirectoryException if the file exists and is not
   *     the host's (a link, not a regular file, another owner, writable by group or others)
   * @throws HostAlreadyRunningException if another host (in this JVM or another process) holds it
   * @throws UncheckedIOException if the file cannot be created or written
   */
  public static HostLock acquire(Path file, Path socket) {
    return acquire(file, socket, FileTrust.forThisProcess());
  }

  /** {@link #acquire(Path, Path)}, the file owned as {@code trust} requires. */
  public static HostLock acquire(Path file, Path socket, FileTrust trust) {
    FileChannel channel;
    Path directory = file.toAbsolutePath().getParent();
    try {
      HostFiles.createPrivateDirectories(directory);
      refuseUntrusted(file, directory, trust);
      channel = HostFiles.open(file, HostFiles.PRIVATE_FILE, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the lock file " + file, e);
    }
    try {
      // Opened without following a link; checked again in case it was made between the two.
      refuseUntrusted(file, directory, trust);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new HostAlreadyRunningException(file, read(file));
    }
    Holder holder = new Holder(ProcessHandle.current().pid(), Instant.now(), socket);
    try {
      String text = "# the ntio host that holds this state directory\n"
          + "pid=" + holder.pid() + "\n"
          + "since=" + holder.since() + "\n"
          + "socket=" + holder.socket() + "\n";
      channel.truncate(0);
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes, bytes.position());
      }
      channel.force(true);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot write the lock file " + file, e);
    }
    return new HostLock(file, channel, lock, holder);
  }

  private static void refuseUntrusted(Path file, Path directory, FileTrust trust) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      Optional<FileTrust.Problem> problem = trust.checkOwn(file, FileTrust.Kind.REGULAR_FILE);
      if (problem.isPresent()) {
        throw new StateDirectoryTrust.UntrustedStateDirectoryException(directory, trust.uid(),
            List.of(problem.get()));
      }
    }
  }

  /** The holder named in {@code file}, if it names one. A link is not followed. */
  public static Optional<Holder> read(Path file) {
    try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(in.size(), MAXIMUM_TEXT));
      while (bytes.hasRemaining() && in.read(bytes) > 0) {
        // Read what the holder wrote: a few lines.
      }
      Properties text = new Properties();
      text.load(new StringReader(new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8)));
      return Optional.of(new Holder(Long.parseLong(text.getProperty("pid", "").trim()),
          Instant.parse(text.getProperty("since", "").trim()),
          Path.of(text.getProperty("socket", "").trim())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** This process, as the lock file names it. */
  public Holder holder() {
    return holder;
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Deletes the file and releases the lock. Idempotent. */
  public synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The lock still goes with the channel; a stale file is overwritten by the next host.
    }
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel releases it too.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to keep: the descriptor is gone either way.
    }
  }

  /** A state directory already has a host. */
  public static final class HostAlreadyRunningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Holder holder;

    HostAlreadyRunningException(Path file, Optional<Holder> holder) {
      super(holder.map(h -> "another ntio host holds " + file.getParent() + " (" + h.describe()
              + "); stop it first, e.g. kill -TERM " + h.pid())
          .orElse("another ntio host holds " + file + " (its lock file names no holder yet)"));
      this.holder = holder.orElse(null);
    }

    /** The running host, when its lock file names it. */
    public Optional<Holder> holder() {
      return Optional.ofNullable(holder);
    }
  }
}
