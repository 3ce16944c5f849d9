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
   * Checks the imports of an image's classes, in the order given.
   *
   * @throws BadImageException {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND} naming the first class
   *     that is not exported and the image class that refers to it
   */
  static void check(Collection<ClassFile> classes) throws BadImageException {
    Set<String> own = new HashSet<>();
    for (ClassFile file : classes) {
      own.add(file.name());
    }
    for (ClassFile file : classes) {
      for (String reference : file.references()) {
        if (!own.contains(reference) && !ImportFilterLoader.isExported(reference)) {
          throw new BadImageException(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
              "unresolved import: " + reference.replace('/', '.') + ", referenced by "
                  + file.binaryName() + ", is neither in the image nor exported to drivers"
                  + " (java.*, ntio.ddk.*, ntio.framework.*)");
        }
      }
    }
  }
}
