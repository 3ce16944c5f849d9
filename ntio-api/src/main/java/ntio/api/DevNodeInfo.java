package ntio.api;

import java.util.List;
import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * One devnode of the PnP manager's device tree, as {@code devcon status} and {@code devcon tree}
 * show it; a row of {@link NtApi#queryDeviceTree()}.
 *
 * @param instancePath the device instance path ({@code ROOT\TOASTERBUS\0000}); {@code
 *     HTREE\ROOT\0} for the root devnode
 * @param parentPath the parent's instance path; empty for the root devnode
 * @param state the devnode's state, as NT names it ({@code DeviceNodeStarted})
 * @param problem the {@code CM_PROB_*} problem code; 0 for none
 * @param problemName the problem's name ({@code CM_PROB_FAILED_ADD}); empty for none
 * @param problemStatus the status that caused the problem; {@code STATUS_SUCCESS} for none
 * @param disabled whether the device is disabled ({@code CONFIGFLAG_DISABLED} in ConfigFlags)
 * @param hardwareIds the hardware IDs, most specific first
 * @param service the function driver's service; empty when none is installed
 * @param lowerFilters the lower filters' services, device's then class's, in load order
 * @param upperFilters the upper filters' services, device's then class's, in load order
 * @param stack the device objects from the top of the stack down to the PDO; empty when the
 *     devnode has no PDO yet or was removed
 * @param children the children's instance paths, in enumeration order
 */
public record DevNodeInfo(String instancePath, String parentPath, String state, int problem,
    String problemName, NtStatus problemStatus, boolean disabled, List<String> hardwareIds,
    String service, List<String> lowerFilters, List<String> upperFilters,
    List<DeviceStackLayer> stack, List<String> children) {

  /** Checks the fields and copies the lists. */
  public DevNodeInfo {
    Objects.requireNonNull(instancePath, "instancePath");
    Objects.requireNonNull(parentPath, "parentPath");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(problemName, "problemName");
    Objects.requireNonNull(problemStatus, "problemStatus");
    Objects.requireNonNull(service, "service");
    hardwareIds = List.copyOf(hardwareIds);
    lowerFilters = List.copyOf(lowerFilters);
    upperFilters = List.copyOf(upperFilters);
    stack = List.copyOf(stack);
    children = List.copyOf(children);
  }
}
