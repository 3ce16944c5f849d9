package ntio.kernel.pnp;

/**
 * {@code CM_PROB_*}: why a devnode is not started, numbered as {@code cfg.h} numbers them
 * (partial: the problems this PnP manager sets, and a few neighbours).
 */
public final class ProblemCodes {

  private ProblemCodes() {}

  public static final int NONE = 0;
  /** No driver is installed for the device (a root device whose instance key names no Service). */
  public static final int CM_PROB_NOT_CONFIGURED = 0x01;
  /** A driver's load failed for lack of memory (STATUS_INSUFFICIENT_RESOURCES). */
  public static final int CM_PROB_OUT_OF_MEMORY = 0x03;
  /** IRP_MN_START_DEVICE failed. */
  public static final int CM_PROB_FAILED_START = 0x0A;
  /** The device is being removed. */
  public static final int CM_PROB_WILL_BE_REMOVED = 0x15;
  /** Disabled: CONFIGFLAG_DISABLED in its ConfigFlags. */
  public static final int CM_PROB_DISABLED = 0x16;
  /** The device was reported missing by its bus. */
  public static final int CM_PROB_DEVICE_NOT_THERE = 0x18;
  /** No driver was found for a bus-enumerated device's hardware IDs. */
  public static final int CM_PROB_FAILED_INSTALL = 0x1C;
  /** A driver's AddDevice failed (or it has none). */
  public static final int CM_PROB_FAILED_ADD = 0x1F;
  /** A driver's service is disabled (Start 4). */
  public static final int CM_PROB_DISABLED_SERVICE = 0x20;
  /** A driver's DriverEntry failed. */
  public static final int CM_PROB_FAILED_DRIVER_ENTRY = 0x25;
  /** A previous instance of a driver is still in memory (its unload has not finished). */
  public static final int CM_PROB_DRIVER_FAILED_PRIOR_UNLOAD = 0x26;
  /** A driver's load failed for another reason. */
  public static final int CM_PROB_DRIVER_FAILED_LOAD = 0x27;
  /** A driver's service key is missing or ill-formed. */
  public static final int CM_PROB_DRIVER_SERVICE_KEY_INVALID = 0x28;

  /** The code's {@code cfg.h} name, such as {@code CM_PROB_FAILED_ADD}; empty for 0. */
  public static String name(int problem) {
    return switch (problem) {
      case NONE -> "";
      case CM_PROB_NOT_CONFIGURED -> "CM_PROB_NOT_CONFIGURED";
      case CM_PROB_OUT_OF_MEMORY -> "CM_PROB_OUT_OF_MEMORY";
      case CM_PROB_FAILED_START -> "CM_PROB_FAILED_START";
      case CM_PROB_WILL_BE_REMOVED -> "CM_PROB_WILL_BE_REMOVED";
      case CM_PROB_DISABLED -> "CM_PROB_DISABLED";
      case CM_PROB_DEVICE_NOT_THERE -> "CM_PROB_DEVICE_NOT_THERE";
      case CM_PROB_FAILED_INSTALL -> "CM_PROB_FAILED_INSTALL";
      case CM_PROB_FAILED_ADD -> "CM_PROB_FAILED_ADD";
      case CM_PROB_DISABLED_SERVICE -> "CM_PROB_DISABLED_SERVICE";
      case CM_PROB_FAILED_DRIVER_ENTRY -> "CM_PROB_FAILED_DRIVER_ENTRY";
      case CM_PROB_DRIVER_FAILED_PRIOR_UNLOAD -> "CM_PROB_DRIVER_FAILED_PRIOR_UNLOAD";
      case CM_PROB_DRIVER_FAILED_LOAD -> "CM_PROB_DRIVER_FAILED_LOAD";
      case CM_PROB_DRIVER_SERVICE_KEY_INVALID -> "CM_PROB_DRIVER_SERVICE_KEY_INVALID";
      default -> String.format("CM_PROB_0x%02X", problem);
    };
  }
}
