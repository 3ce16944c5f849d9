package ntio.kernel.loader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;

/**
 * Where a driver's image is: the NT path a service's {@code ImagePath} names (B5), and the host
 * file that path stands for.
 *
 * <p>NT paths compare without regard to case, host files may not. Both are reconciled here: the
 * loaded-image list is keyed by the NT path upcased character by character (as {@code
 * RtlUpcaseUnicodeString} does), so two spellings of one image are one image; and under {@code
 * \SystemRoot\} each component is looked up as spelled first and, if no file of that exact name
 * exists, by a case-insensitive match in its directory, as NTFS would find it. Paths below
 * {@code \??\} name a host file and are taken literally.
 *
 * <p>Stateless; all methods are static and thread-safe.
 */
public final class ImagePaths {

  /*
   * Implementation notes:
   *
   * Rejected components under \SystemRoot\ (empty, ".", "..", or holding a character NTFS forbids:
   * control characters and "*:<>?|/ ) give STATUS_OBJECT_NAME_INVALID, which is what NTFS answers
   * for such a name; STATUS_OBJECT_PATH_SYNTAX_BAD is the object manager's answer for a name that
   * does not start with a backslash, and that is what a relative NT path gets here. Because no
   * component may be ".." or hold a separator, a \SystemRoot\ path cannot leave the root
   * lexically; a symbolic link inside the root still can, which ImagePolicy catches on the real
   * path.
   *
   * When several entries of a directory match a component only without regard to case (the host
   * is case-sensitive and holds both echo.jar and ECHO.JAR) and none matches exactly, the lookup
   * does not guess: the exact spelling is kept, and the file is then not found.
   */

  /** The prefix of every path below the system root. */
  public static final String SYSTEM_ROOT_PREFIX = "\\SystemRoot\\";

  /** Where the default image path puts drivers, below {@link #SYSTEM_ROOT_PREFIX}. */
  public static final String DRIVERS_DIRECTORY = "System32\\drivers\\";

  /** A driver image's extension, where NT's is {@code .sys}. */
  public static final String IMAGE_EXTENSION = ".jar";

  private static final String FORBIDDEN_IN_NTFS_NAMES = "\"*/:<>?|\\";

  private ImagePaths() {}

  /**
   * A status and, on success, the NT path of a driver's image.
   *
   * @param status {@code STATUS_SUCCESS} or why the service entry names no image
   * @param path the image's NT path, such as {@code \SystemRoot\System32\drivers\Echo.jar}; null
   *     on failure
   */
  public record NtPath(NtStatus status, String path) {}

  /**
   * A status and, on success, the host file an NT image path stands for.
   *
   * @param status {@code STATUS_SUCCESS}, or {@code STATUS_OBJECT_PATH_SYNTAX_BAD}, {@code
   *     STATUS_OBJECT_NAME_INVALID} or {@code STATUS_OBJECT_PATH_NOT_FOUND}
   * @param file the host file, which may not exist; null on failure
   */
  public record HostPath(NtStatus status, Path file) {}

  /**
   * The NT path of a service's image from its {@code ImagePath} value (B5). Models the {@code
   * ImagePath} read of {@code IopLoadDriver} and {@code IopNormalizeImagePath} (full).
   *
   * <ul>
   *   <li>absent: {@code \SystemRoot\System32\drivers\<service>.jar}, the documented Windows
   *       default;
   *   <li>a type other than {@code REG_EXPAND_SZ} or {@code REG_SZ}, no data, an odd number of
   *       bytes or an empty string: {@code STATUS_ILL_FORMED_SERVICE_ENTRY};
   *   <li>no leading backslash: {@code \SystemRoot\} is put in front, so {@code
   *       System32\drivers\Echo.jar} is {@code \SystemRoot\System32\drivers\Echo.jar};
   *   <li>a leading backslash (including {@code \??\C:\…} and {@code \??\/opt/…}): kept as is.
   * </ul>
   *
   * @implNote Upstream ReactOS returns the registry's {@code STATUS_OBJECT_NAME_NOT_FOUND} when the
   *     value is absent, and defaults an empty string instead of rejecting it; Windows and Wine
   *     default an absent value, and an empty string is treated here like the zero-length value
   *     NT refuses. Upstream ReactOS accepts only {@code REG_EXPAND_SZ}; {@code REG_SZ} is accepted
   *     too (as a ReactOS fork does, and as Windows' own {@code RtlQueryRegistryValues} read does),
   *     because both types carry the same UTF-16 text and hand-written {@code .reg} files and INF
   *     sections often use {@code REG_SZ}. Environment strings are not expanded: the kernel never
   *     expands {@code ImagePath} (the service controller does so only for Win32 services), so
   *     {@code %SystemRoot%\x.jar} is relative to {@code \SystemRoot\} like any other text.
   * @param serviceName the service's name, the last component of its key
   * @param imagePath the {@code ImagePath} value, or empty if the key has none
   * @throws IllegalArgumentException if the service name is empty or holds a backslash
   */
  public static NtPath imagePath(String serviceName, Optional<RegValue> imagePath) {
    checkServiceName(serviceName);
    Objects.requireNonNull(imagePath, "imagePath");
    if (imagePath.isEmpty()) {
      return new NtPath(NtStatus.STATUS_SUCCESS, defaultImagePath(serviceName));
    }
    RegValue value = imagePath.get();
    Optional<String> text = switch (value.type()) {
      case RegType.REG_EXPAND_SZ -> value.expandStringValue();
      case RegType.REG_SZ -> value.stringValue();
      default -> Optional.empty();
    };
    if (value.dataLength() == 0 || text.isEmpty() || text.get().isEmpty()) {
      return new NtPath(NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY, null);
    }
    String path = text.get();
    return new NtPath(NtStatus.STATUS_SUCCESS,
        path.startsWith("\\") ? path : SYSTEM_ROOT_PREFIX + path);
  }

  /**
   * {@code \SystemRoot\System32\drivers\<service>.jar}. Models the default image path of {@code
   * IopNormalizeImagePath} (full, with {@code .jar} for {@code .sys}).
   *
   * @throws IllegalArgumentException if the service name is empty or holds a backslash
   */
  public static String defaultImagePath(String serviceName) {
    checkServiceName(serviceName);
    return SYSTEM_ROOT_PREFIX + DRIVERS_DIRECTORY + serviceName + IMAGE_EXTENSION;
  }

  /**
   * The host file an NT image path stands for. Models the name resolution of the {@code
   * ZwOpenFile} in {@code MmLoadSystemImage} (partial: the namespace has two roots for files).
   *
   * <ul>
   *   <li>{@code \SystemRoot\a\b.jar}: {@code <systemRoot>/a/b.jar}, each component matched
   *       without regard to case when no exact match exists; an empty, {@code .} or {@code ..}
   *       component, or one with a character NTFS forbids, is {@code STATUS_OBJECT_NAME_INVALID};
   *   <li>{@code \??\/abs/b.jar} (also below {@code \DosDevices\} or {@code \GLOBAL??\}): that
   *       absolute host file, taken literally, on a host whose separator is {@code /}; {@code
   *       \??\C:\a\b.jar} likewise on a host whose separator is a backslash. On the other kind of
   *       host, or for any other DOS device name, {@code STATUS_OBJECT_PATH_NOT_FOUND}, as for a
   *       drive letter that is not defined;
   *   <li>any other root: {@code STATUS_OBJECT_PATH_NOT_FOUND}; no leading backslash: {@code
   *       STATUS_OBJECT_PATH_SYNTAX_BAD}.
   * </ul>
   *
   * <p>Whether the file exists is not decided here; the loader finds out when it opens it.
   *
   * @param systemRoot the host directory {@code \SystemRoot\} stands for
   */
  public static HostPath hostPath(String ntImagePath, Path systemRoot) {
    Objects.requireNonNull(ntImagePath, "ntImagePath");
    Objects.requireNonNull(systemRoot, "systemRoot");
    if (!ntImagePath.startsWith("\\")) {
      return new HostPath(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD, null);
    }
    int rootEnd = ntImagePath.indexOf('\\', 1);
    String root = rootEnd < 0 ? ntImagePath.substring(1) : ntImagePath.substring(1, rootEnd);
    String rest = rootEnd < 0 ? "" : ntImagePath.substring(rootEnd + 1);
    if (root.equalsIgnoreCase("SystemRoot")) {
      return belowSystemRoot(rest, systemRoot);
    }
    if (root.equals("??") || root.equalsIgnoreCase("DosDevices")
        || root.equalsIgnoreCase("GLOBAL??")) {
      return dosPath(rest, systemRoot);
    }
    return new HostPath(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, null);
  }

  /**
   * The key of the loaded-image list: the NT path upcased character by character, as {@code
   * RtlEqualUnicodeString(..., TRUE)} compares.
   */
  static String key(String ntImagePath) {
    char[] chars = ntImagePath.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toUpperCase(chars[i]);
    }
    return new String(chars);
  }

  /** The last component of an NT path, such as {@code Echo.jar}: {@code BaseDllName}. */
  static String baseName(String ntImagePath) {
    int slash = ntImagePath.lastIndexOf('\\');
    String last = ntImagePath.substring(slash + 1);
    int unixSlash = last.lastIndexOf('/');
    return last.substring(unixSlash + 1);
  }

  private static HostPath belowSystemRoot(String rest, Path systemRoot) {
    String[] components = rest.split("\\\\", -1);
    for (String component : components) {
      if (!isNtfsName(component)) {
        return new HostPath(NtStatus.STATUS_OBJECT_NAME_INVALID, null);
      }
    }
    Path current = systemRoot.resolve(String.join(systemRoot.getFileSystem().getSeparator(), components));
    if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
      // Not there as spelled: look each component up without regard to case, as NTFS does.
      current = systemRoot;
      for (String component : components) {
        current = lookUp(current, component);
      }
    }
    if (!current.normalize().startsWith(systemRoot.normalize())) {
      return new HostPath(NtStatus.STATUS_OBJECT_NAME_INVALID, null);
    }
    return new HostPath(NtStatus.STATUS_SUCCESS, current);
  }

  private static HostPath dosPath(String rest, Path systemRoot) {
    boolean windowsHost = systemRoot.getFileSystem().getSeparator().equals("\\");
    if (rest.length() >= 3 && Character.isLetter(rest.charAt(0)) && rest.charAt(0) < 0x80
        && rest.charAt(1) == ':' && rest.charAt(2) == '\\') {
      if (!windowsHost) {
        return new HostPath(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, null);
      }
      for (String component : rest.substring(3).split("\\\\", -1)) {
        if (!isNtfsName(component)) {
          return new HostPath(NtStatus.STATUS_OBJECT_NAME_INVALID, null);
        }
      }
      return new HostPath(NtStatus.STATUS_SUCCESS, systemRoot.getFileSystem().getPath(rest));
    }
    if (rest.startsWith("/")) {
      if (windowsHost) {
        return new HostPath(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, null);
      }
      for (String component : rest.substring(1).split("/", -1)) {
        if (component.isEmpty() || component.equals(".") || component.equals("..")
            || component.indexOf('\0') >= 0 || component.indexOf('\\') >= 0) {
          return new HostPath(NtStatus.STATUS_OBJECT_NAME_INVALID, null);
        }
      }
      return new HostPath(NtStatus.STATUS_SUCCESS, systemRoot.getFileSystem().getPath(rest));
    }
    return new HostPath(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, null);
  }

  private static boolean isNtfsName(String component) {
    if (component.isEmpty() || component.equals(".") || component.equals("..")) {
      return false;
    }
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c < 0x20 || FORBIDDEN_IN_NTFS_NAMES.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The entry of {@code directory} named {@code component}, matched as NTFS would. */
  private static Path lookUp(Path directory, String component) {
    Path exact = directory.resolve(component);
    if (Files.exists(exact, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(directory)) {
      return exact;
    }
    String wanted = key(component);
    Path match = null;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (key(entry.getFileName().toString()).equals(wanted)) {
          if (match != null) {
            return exact;
          }
          match = entry;
        }
      }
    } catch (IOException e) {
      // An unreadable directory finds nothing; opening the file will report why.
      return exact;
    }
    return match != null ? match : exact;
  }

  private static void checkServiceName(String serviceName) {
    Objects.requireNonNull(serviceName, "serviceName");
    if (serviceName.isEmpty() || serviceName.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("a service name is one non-empty key name, not \""
          + serviceName + "\"");
    }
  }
}
