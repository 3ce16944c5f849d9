package ntio.kernel.loader;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import ntio.ddk.NtStatus;

/**
 * The import check: every class an image names must be one of its own or one the {@link
 * ImportFilterLoader} exports ({@code java.*}, {@code ntio.ddk.*}, {@code ntio.framework.*}). It is
 * NT's import resolution against the kernel's export table, done before any class of the image is
 * defined, so a driver that reaches kernel internals never runs a line.
 */
final class ImageImports {

  private ImageImports() {}

  /**
   * Checks the imports of an image's classes, in the order given: each must be the image's own or
   * exported, and an exported DDK or framework class must exist in the host ({@code imports}
   * finds its class file; nothing is loaded), as NT's import resolution fails on a routine the
   * exporting module lacks.
   *
   * @param imports what the image links against
   * @throws BadImageException {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND} naming the first class
   *     that is not exported, or exported but absent, the image class that refers to it, and what
   *     to do
   */
  static void check(Collection<ClassFile> classes, ClassLoader imports) throws BadImageException {
    Set<String> own = new HashSet<>();
    for (ClassFile file : classes) {
      own.add(file.name());
    }
    Set<String> present = new HashSet<>();
    for (ClassFile file : classes) {
      for (String reference : file.references()) {
        if (own.contains(reference) || present.contains(reference)) {
          continue;
        }
        if (!ImportFilterLoader.isExported(reference)) {
          throw new BadImageException(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
              "unresolved import: " + reference.replace('/', '.') + ", referenced by "
                  + file.binaryName() + ", is neither in the image nor exported to drivers"
                  + " (java.*, ntio.ddk.*, ntio.framework.*): package a library into the JAR"
                  + " (a shaded or fat JAR); kernel internals are never reachable");
        }
        if (!reference.startsWith("java/") && imports.getResource(reference + ".class") == null) {
          String module = reference.startsWith("ntio/framework/") ? "ntio-framework" : "ntio-ddk";
          throw new BadImageException(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
              "class not found for an import: " + reference.replace('/', '.') + ", referenced by "
                  + file.binaryName() + ", is not in this host's " + module + " (the " + module
                  + " jar is missing from the host's class path, or the driver was built against"
                  + " another version of it)");
        }
        present.add(reference);
      }
    }
  }
}
