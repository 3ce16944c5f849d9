package ntio.kernel.loader;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import ntio.ddk.DriverEntry;
import ntio.ddk.NtStatus;

/**
 * Whether the class the manifest names can be a driver's entry point — public, concrete,
 * implementing {@link DriverEntry}, with a public no-argument constructor — decided from the class
 * files alone, before any is defined. Models the {@code AddressOfEntryPoint} check of {@code
 * MmLoadSystemImage} / {@code IopInitializeDriverModule}.
 */
final class EntryPointCheck {

  private static final String DRIVER_ENTRY = DriverEntry.class.getName().replace('.', '/');

  private EntryPointCheck() {}

  /**
   * Checks the entry class.
   *
   * @param entryClass the binary name from the manifest, or null if it names none
   * @param classes the image's classes by internal name
   * @param imports where supertypes outside the image are looked up (never initialized)
   * @throws BadImageException {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND} saying what is wrong
   */
  static void check(String entryClass, Map<String, ClassFile> classes, ClassLoader imports)
      throws BadImageException {
    if (entryClass == null || entryClass.isEmpty()) {
      throw notFound("the manifest names no " + DriverManifest.ENTRY_ATTRIBUTE);
    }
    ClassFile entry = classes.get(entryClass.replace('.', '/'));
    if (entry == null || entryClass.indexOf('/') >= 0) {
      throw notFound("entry class " + entryClass + " is not in the image");
    }
    int flags = entry.accessFlags();
    if ((flags & ClassFile.ACC_PUBLIC) == 0) {
      throw notFound("entry class " + entryClass + " is not public");
    }
    if ((flags & (ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT)) != 0) {
      throw notFound("entry class " + entryClass + " is abstract or an interface");
    }
    if (!implementsDriverEntry(entry.name(), classes, imports, new HashSet<>())) {
      throw notFound("entry class " + entryClass + " does not implement "
          + DriverEntry.class.getName());
    }
    if (!entry.publicNoArgConstructor()) {
      throw notFound("entry class " + entryClass + " has no public no-argument constructor");
    }
  }

  private static boolean implementsDriverEntry(String name, Map<String, ClassFile> classes,
      ClassLoader imports, Set<String> seen) {
    if (name.equals(DRIVER_ENTRY)) {
      return true;
    }
    if (!seen.add(name)) {
      return false;
    }
    ClassFile file = classes.get(name);
    if (file == null) {
      // java.* never implements DriverEntry; a DDK or framework base class may.
      if (name.startsWith("java/") || !ImportFilterLoader.isExported(name)) {
        return false;
      }
      try {
        return DriverEntry.class.isAssignableFrom(
            Class.forName(name.replace('/', '.'), false, imports));
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    if (file.superName() != null
        && implementsDriverEntry(file.superName(), classes, imports, seen)) {
      return true;
    }
    for (String superInterface : file.interfaces()) {
      if (implementsDriverEntry(superInterface, classes, imports, seen)) {
        return true;
      }
    }
    return false;
  }

  private static BadImageException notFound(String message) {
    return new BadImageException(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, message);
  }
}
