package ntio.kernel;

import java.nio.file.Path;
import ntio.api.DriverLoadResult;
import ntio.kernel.loader.DriverLoader;
import ntio.kernel.loader.MemberPolicy;

/**
 * A driver image checked before it is installed: the kernel loader's own checks of a JAR (its
 * format and manifest, its entry class, its imports, the default deny list), run on a host file
 * with no kernel booted, so that an installer ({@code ntio sc create}, {@code ntio sc config})
 * refuses an image with the status and detail a load would give, before it writes a service key.
 *
 * <p>What only the loading kernel can decide is left to the load: whether the file's directory is
 * allowed ({@code STATUS_DRIVER_BLOCKED}), its signature under the code-integrity mode then in
 * force, and a deny list the kernel was configured to relax.
 */
public final class DriverImages {

  private DriverImages() {}

  /**
   * Checks the JAR at {@code jar} as the loader would.
   *
   * @return {@code STATUS_SUCCESS} with an empty detail; or the status a load would fail with
   *     ({@code STATUS_INVALID_IMAGE_FORMAT}, {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND}, {@code
   *     STATUS_DRIVER_BLOCKED_CRITICAL}, {@code STATUS_INSUFFICIENT_RESOURCES}; {@code
   *     STATUS_OBJECT_NAME_NOT_FOUND} when there is no such file) and the detail it would give
   */
  public static DriverLoadResult check(Path jar) {
    DriverLoader.MapResult checked = DriverLoader.check(jar, MemberPolicy.defaults());
    return new DriverLoadResult(checked.status(), checked.detail());
  }
}
