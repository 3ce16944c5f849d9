package ntio.host.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import ntio.api.DriverLoadResult;
import ntio.kernel.DriverImages;

/**
 * What {@code sc create} and {@code sc config} check before they write an ImagePath: that the file
 * is a driver JAR the kernel would load — its format and manifest, its entry class, its imports,
 * the deny list — by the kernel loader's own checks ({@link DriverImages#check}), so that an image
 * that cannot load is refused with the status and detail its load would give, and no key names it.
 * Where the image may be loaded from and its signature are the loading kernel's to decide.
 */
final class ImageCheck {

  private ImageCheck() {}

  /**
   * Checks {@code image}; on a refusal prints {@code ntio: <what>: the image <file> would not load:
   * STATUS_…} and the detail on stderr.
   *
   * @return whether the image passed
   */
  static boolean passes(PrintWriter err, String what, Path image) {
    DriverLoadResult checked = DriverImages.check(image);
    if (checked.status().isSuccess()) {
      return true;
    }
    Printer.failed(err, what + ": the image " + image + " would not load", checked);
    err.println("  (--no-check writes the service anyway)");
    return false;
  }
}
