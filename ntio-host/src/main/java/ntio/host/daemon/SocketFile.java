package ntio.host.daemon;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import ntio.hostfs.HostFiles;

/**
 * Binds a Unix domain socket file that has its mode from the moment anyone can reach it.
 *
 * <p>{@code bind(2)} makes the socket file with the umask's mode, and Java cannot set the umask,
 * so binding in place and then changing the mode leaves a moment in which anyone the umask lets in
 * (everyone, under umask 000) may connect, and a connection made then is accepted later. Here the
 * socket is bound in a new directory of mode 0700 next to its path, given its mode there, where
 * nobody else can reach it, and renamed into place: a rename keeps the bound socket.
 *
 * <p>Stateless.
 */
final class SocketFile {

  /** rw-rw----: the host's user and the socket's group may connect. */
  static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw----");

  private static final SecureRandom RANDOM = new SecureRandom();

  private SocketFile() {}

  /**
   * Binds {@code listener} to {@code socket} (which must not exist), mode {@link #SOCKET_MODE}.
   *
   * @throws IOException if the socket cannot be bound or moved into place; nothing is left behind
   */
  static void bind(ServerSocketChannel listener, Path socket) throws IOException {
    Path directory = socket.toAbsolutePath().getParent();
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    // Short: a socket path has room for only 107 bytes, and this one is the real path plus 12.
    Path staging = directory.resolve(".nb" + HexFormat.of().formatHex(suffix));
    // Made here, not found: an existing one (FileAlreadyExistsException) is nobody's to use.
    Files.createDirectory(staging, HostFiles.attribute(HostFiles.PRIVATE_DIRECTORY));
    Path bound = staging.resolve("s");
    try {
      listener.bind(UnixDomainSocketAddress.of(bound));
      Files.setPosixFilePermissions(bound, SOCKET_MODE);
      try {
        Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(bound, socket);
      }
    } finally {
      Files.deleteIfExists(bound);
      Files.deleteIfExists(staging);
    }
  }
}
