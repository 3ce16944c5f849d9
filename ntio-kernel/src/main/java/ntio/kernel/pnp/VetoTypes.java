package ntio.kernel.pnp;

/** {@code PNP_VETO_TYPE}: who vetoed a query-remove, numbered as {@code cfg.h} numbers them (partial). */
public final class VetoTypes {

  private VetoTypes() {}

  public static final int PNP_VetoTypeUnknown = 0;
  /** A handle to a device of the stack is open. */
  public static final int PNP_VetoOutstandingOpen = 5;
  /** A driver of the stack failed IRP_MN_QUERY_REMOVE_DEVICE. */
  public static final int PNP_VetoDevice = 6;
  /** The driver failed it (the driver, rather than one of its devices, is named). */
  public static final int PNP_VetoDriver = 7;
}
