package ntio.kernel.io;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.kernel.loader.MemberPolicy;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;

/**
 * The administrator's part of the image policy, read from the registry at boot:
 * {@code DeniedMembers}, a {@code REG_MULTI_SZ} under {@value #KEY}, adds rules to the built-in
 * deny list ({@link MemberPolicy}), one rule a string. Read once, as NT reads most {@code
 * CurrentControlSet\Control} values at boot: a change takes effect at the next boot, and a kernel
 * never checks two images against two different lists.
 *
 * <p>A rule that is not well formed is logged at WARNING and skipped; the built-in rules always
 * hold, so a typo can only fail to add a rule, never remove one.
 */
public final class ImagePolicySettings {

  /** The key the image policy's settings live under. */
  public static final String KEY =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\ntio\\ImagePolicy";

  /** The value naming the extra denied members. */
  public static final String DENIED_MEMBERS = "DeniedMembers";

  private static final System.Logger LOG = System.getLogger(ImagePolicySettings.class.getName());

  private ImagePolicySettings() {}

  /**
   * The built-in deny list plus the registry's {@code DeniedMembers}, if the value is there and a
   * {@code REG_MULTI_SZ}; the built-in list alone otherwise.
   */
  public static MemberPolicy deniedMembers(Registry registry, KThread system) {
    List<String> rules = new ArrayList<>();
    for (String rule : read(registry, system).orElse(List.of())) {
      Optional<String> problem = MemberPolicy.problemWith(rule);
      if (problem.isPresent()) {
        LOG.log(Level.WARNING, "{0}\\{1}: skipping {2}", KEY, DENIED_MEMBERS, problem.get());
      } else {
        rules.add(rule);
      }
    }
    return MemberPolicy.defaults().withAdditional(rules);
  }

  private static Optional<List<String>> read(Registry registry, KThread system) {
    RegValue value = registry.queryKernelValues(system, KEY, DENIED_MEMBERS).get(DENIED_MEMBERS);
    if (value == null) {
      return Optional.empty();
    }
    if (value.type() != RegType.REG_MULTI_SZ) {
      LOG.log(Level.WARNING, "{0}\\{1} is {2}, not REG_MULTI_SZ: ignored", KEY, DENIED_MEMBERS, value.type());
      return Optional.empty();
    }
    return value.multiStringValue();
  }
}
