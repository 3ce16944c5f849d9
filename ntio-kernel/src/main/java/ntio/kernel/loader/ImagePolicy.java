package ntio.kernel.loader;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ntio.ddk.NtStatus;
import ntio.hostfs.FileTrust;

/**
 * Which host directories driver images may be loaded from. By default only {@code
 * <systemRoot>/System32/drivers} (and below); a configuration may add directories, or allow any
 * path. An image anywhere else is {@code STATUS_DRIVER_BLOCKED}.
 *
 * <p>The decision is made on the image's real path, every symbolic link resolved, against the real
 * paths of the allowed directories: a link inside an allowed directory that points outside is
 * blocked, and a link outside that points at a file inside is allowed, because what matters is
 * where the bytes are.
 *
 * <p>A policy may also require trusted ownership ({@link #requiringOwnership}): a privileged host
 * then refuses an image that another user could have written, wherever it is (see {@link
 * FileTrust#checkImage}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePolicy {

  private final List<Path> allowedDirectories;
  private final boolean anyPath;
  /** Whose images may be loaded; null when ownership is not checked. */
  private final FileTrust ownership;

  private final MemberPolicy members;

  private ImagePolicy(List<Path> allowedDirectories, boolean anyPath) {
    this(allowedDirectories, anyPath, null, MemberPolicy.defaults());
  }

  private ImagePolicy(List<Path> allowedDirectories, boolean anyPath, FileTrust ownership, MemberPolicy members) {
    this.allowedDirectories = List.copyOf(allowedDirectories);
    this.anyPath = anyPath;
    this.ownership = ownership;
    this.members = Objects.requireNonNull(members, "members");
  }

  /**
   * The same policy that also refuses an image not owned by root or {@code trust}'s uid, writable
   * by group or others, or in a directory another user could change ({@link
   * FileTrust#checkImage}). What {@code ntio host} sets; an embedded kernel run by an ordinary user
   * on their own files does not need it. No NT counterpart.
   */
  public ImagePolicy requiringOwnership(FileTrust trust) {
    return new ImagePolicy(allowedDirectories, anyPath, Objects.requireNonNull(trust, "trust"), members);
  }

  /**
   * This policy with another deny list. No NT counterpart (the driver block list).
   */
  public ImagePolicy withMembers(MemberPolicy deniedMembers) {
    return new ImagePolicy(allowedDirectories, anyPath, ownership, deniedMembers);
  }

  /** The JDK members and classes no image may refer to. */
  public MemberPolicy members() {
    return members;
  }

  /** The ownership the policy requires, when it requires one. No NT counterpart. */
  public Optional<FileTrust> ownership() {
    return Optional.ofNullable(ownership);
  }

  /**
   * Why an image, at its real path, is not trusted by the ownership rule: empty when the policy
   * requires no ownership or the image passes. The loader refuses it with {@code
   * STATUS_DRIVER_BLOCKED} and this detail.
   */
  Optional<FileTrust.Problem> ownershipProblem(Path real) {
    return ownership == null ? Optional.empty() : ownership.checkImage(real);
  }

  /**
   * Only {@code <systemRoot>/System32/drivers}: where Windows keeps driver images. Models the
   * default of the code-integrity policy (partial: a directory, not a signature requirement).
   */
  public static ImagePolicy defaults(Path systemRoot) {
    return allowing(systemRoot, List.of());
  }

  /**
   * {@code <systemRoot>/System32/drivers} and {@code extraDirectories}, each with everything
   * below it. No NT counterpart (a configured allow list).
   */
  public static ImagePolicy allowing(Path systemRoot, List<Path> extraDirectories) {
    List<Path> directories = new ArrayList<>();
    directories.add(systemRoot.resolve("System32").resolve("drivers"));
    for (Path extra : extraDirectories) {
      directories.add(Objects.requireNonNull(extra, "extra directory"));
    }
    return new ImagePolicy(directories, false);
  }

  /**
   * Any image file anywhere on the host: for development setups that load from a build tree.
   * Models a system with code integrity off (full).
   */
  public static ImagePolicy anyPath() {
    return new ImagePolicy(List.of(), true);
  }

  /**
   * The directories images may come from; empty when {@link #allowsAnyPath()}. No NT
   * counterpart.
   */
  public List<Path> allowedDirectories() {
    return allowedDirectories;
  }

  /** Whether every path is allowed. No NT counterpart. */
  public boolean allowsAnyPath() {
    return anyPath;
  }

  /**
   * Whether an image file may be loaded. Models the code-integrity block check that {@code
   * MmLoadSystemImage} makes before mapping (partial: the policy is a list of directories, not a
   * signature or block list).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_DRIVER_BLOCKED} (0xC000036C) if the file's real
   *     path is outside every allowed directory; {@code STATUS_OBJECT_NAME_NOT_FOUND} if the file
   *     (or the target of a link) does not exist; {@code STATUS_ACCESS_DENIED} if its path cannot
   *     be resolved for lack of access
   */
  public NtStatus check(Path imageFile) {
    Objects.requireNonNull(imageFile, "imageFile");
    Path real;
    try {
      real = imageFile.toRealPath();
    } catch (NoSuchFileException e) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    } catch (AccessDeniedException e) {
      return NtStatus.STATUS_ACCESS_DENIED;
    } catch (IOException e) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    return checkRealPath(real);
  }

  /**
   * {@link #check(Path)} for a path already resolved with {@link Path#toRealPath}, so that the
   * loader resolves an image's path once.
   */
  NtStatus checkRealPath(Path real) {
    Objects.requireNonNull(real, "real");
    if (anyPath) {
      return NtStatus.STATUS_SUCCESS;
    }
    for (Path directory : allowedDirectories) {
      try {
        Path realDirectory = directory.toRealPath();
        if (real.startsWith(realDirectory) && !real.equals(realDirectory)) {
          return NtStatus.STATUS_SUCCESS;
        }
      } catch (IOException e) {
        // A directory that does not exist (or cannot be resolved) holds nothing.
      }
    }
    return NtStatus.STATUS_DRIVER_BLOCKED;
  }

  /**
   * Why an image whose real path {@link #checkRealPath} blocked may not load, and what to do: the
   * allowed image directories and the two ways in. No NT counterpart (the code-integrity event's
   * text).
   */
  String blockedDetail(String ntImagePath, Path real) {
    StringBuilder directories = new StringBuilder();
    for (Path directory : allowedDirectories) {
      directories.append(directories.length() == 0 ? "" : ", ").append(directory);
    }
    return ntImagePath + " is blocked: its file " + real + " is outside the allowed image"
        + " directories (" + directories + "); install the image there with 'ntio sc create',"
        + " which copies it into System32\\drivers, or allow its directory with 'ntio host"
        + " --image-dir DIR' (KernelConfig.withImageDirectories when embedded)";
  }

  /** The allowed directories, for messages. No NT counterpart. */
  @Override
  public String toString() {
    String where = anyPath ? "ImagePolicy[any path]" : "ImagePolicy" + allowedDirectories;
    return ownership == null ? where : where + " owned as " + ownership;
  }
}
