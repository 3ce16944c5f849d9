package ntio.kernel.loader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  /** How many of the image's driver classes a message names at most. */
  private static final int MAX_CANDIDATES = 5;

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
      throw notFound("no entry point: the manifest names no " + DriverManifest.ENTRY_ATTRIBUTE
          + "; add '" + DriverManifest.ENTRY_ATTRIBUTE + ": <your DriverEntry class>' to the JAR's"
          + " manifest (maven-jar-plugin's manifestEntries)" + candidates(classes, imports));
    }
    ClassFile entry = classes.get(entryClass.replace('.', '/'));
    if (entry == null || entryClass.indexOf('/') >= 0) {
      throw notFound("entry class " + entryClass + " is not in the image (misspelt in "
          + DriverManifest.ENTRY_ATTRIBUTE + ", or not packaged)"
          + ClassNames.closeTo(entryClass, binaryNames(classes)).map(near -> "; did you mean " + near + "?")
              .orElse("") + candidates(classes, imports));
    }
    int flags = entry.accessFlags();
    if ((flags & ClassFile.ACC_PUBLIC) == 0) {
      throw notFound("entry class " + entryClass + " is not a driver: it is not public; make it a"
          + " public class");
    }
    if ((flags & (ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT)) != 0) {
      throw notFound("entry class " + entryClass + " is not a driver: it is abstract or an"
          + " interface; name a concrete class" + candidates(classes, imports));
    }
    if (!implementsDriverEntry(entry.name(), classes, imports, new HashSet<>())) {
      throw notFound("entry class " + entryClass + " is not a driver: it does not implement "
          + DriverEntry.class.getName() + candidates(classes, imports));
    }
    if (!entry.publicNoArgConstructor()) {
      throw notFound("entry class " + entryClass + " is not a driver: it has no public"
          + " no-argument constructor; the kernel creates the entry class with one");
    }
  }

  /** The image's classes by binary name. */
  private static List<String> binaryNames(Map<String, ClassFile> classes) {
    List<String> names = new ArrayList<>();
    for (ClassFile file : classes.values()) {
      names.add(file.binaryName());
    }
    return names;
  }

  /**
   * "; the image's drivers: a, b" naming the classes of the image that could be its entry
   * point — public, concrete, implementing DriverEntry — or "; no class of the image implements
   * ntio.ddk.DriverEntry". Only on a failure, so the walk over every class costs a load nothing.
   */
  private static String candidates(Map<String, ClassFile> classes, ClassLoader imports) {
    List<String> drivers = new ArrayList<>();
    for (ClassFile file : classes.values()) {
      int flags = file.accessFlags();
      if ((flags & ClassFile.ACC_PUBLIC) != 0
          && (flags & (ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT)) == 0
          && implementsDriverEntry(file.name(), classes, imports, new HashSet<>())) {
        drivers.add(file.binaryName());
      }
    }
    if (drivers.isEmpty()) {
      return "; no class of the image implements " + DriverEntry.class.getName();
    }
    return "; the image's driver class" + (drivers.size() == 1 ? ": " : "es: ")
        + String.join(", ", drivers.subList(0, Math.min(drivers.size(), MAX_CANDIDATES)))
        + (drivers.size() > MAX_CANDIDATES ? ", …" : "");
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
