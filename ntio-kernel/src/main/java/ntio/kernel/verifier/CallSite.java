package ntio.kernel.verifier;

import java.util.List;
import java.util.Objects;

/**
 * An intercepted call as the systematic low resources simulation identifies it (DV7): the routine
 * called and the driver's own frames on the stack, innermost first, each {@code
 * class.method:line}. No address is involved, so a site is the same site after the image is
 * reloaded. Models the driver-relative stack the systematic simulation keys on (partial: Java
 * frames of classes the image's loader defined; frames of the kernel, the DDK, the framework
 * library and the JDK are left out).
 *
 * @param routine the NT routine, such as {@code ExAllocatePoolWithTag}
 * @param frames the image's frames, innermost first; never empty
 */
public record CallSite(String routine, List<String> frames) {

  /** Copies the frames. */
  public CallSite {
    Objects.requireNonNull(routine, "routine");
    frames = List.copyOf(frames);
  }

  @Override
  public String toString() {
    return routine + " from " + String.join(" < ", frames);
  }
}
