package ntio.host.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * The names reg.exe users type ({@code HKLM\SYSTEM}, {@code HKEY_LOCAL_MACHINE\SYSTEM}) and the
 * native names the kernel parses ({@code \REGISTRY\MACHINE\SYSTEM}).
 */
final class RegistryPaths {

  private RegistryPaths() {}

  /** The native name of a key, or empty when the root is not one ntio has. */
  static Optional<String> toNative(String key) {
    if (key.startsWith("\\")) {
      return Optional.of(key);
    }
    int slash = key.indexOf('\\');
    String rootName = (slash < 0 ? key : key.substring(0, slash)).toUpperCase(Locale.ROOT);
    String rest = slash < 0 ? "" : key.substring(slash);
    String root = switch (rootName) {
      case "HKLM", "HKEY_LOCAL_MACHINE" -> "\\REGISTRY\\MACHINE";
      case "HKU", "HKEY_USERS" -> "\\REGISTRY\\USER";
      default -> null;
    };
    return root == null ? Optional.empty() : Optional.of(root + rest);
  }

  /** The reg.exe spelling of a key name: {@code HKEY_LOCAL_MACHINE\…}. */
  static String display(String key) {
    if (key.startsWith("\\")) {
      String upper = key.toUpperCase(Locale.ROOT);
      if (upper.startsWith("\\REGISTRY\\MACHINE")) {
        return "HKEY_LOCAL_MACHINE" + key.substring("\\REGISTRY\\MACHINE".length());
      }
      if (upper.startsWith("\\REGISTRY\\USER")) {
        return "HKEY_USERS" + key.substring("\\REGISTRY\\USER".length());
      }
      return key;
    }
    int slash = key.indexOf('\\');
    String rootName = (slash < 0 ? key : key.substring(0, slash)).toUpperCase(Locale.ROOT);
    String rest = slash < 0 ? "" : key.substring(slash);
    return switch (rootName) {
      case "HKLM" -> "HKEY_LOCAL_MACHINE" + rest;
      case "HKU" -> "HKEY_USERS" + rest;
      default -> key;
    };
  }
}
