package ntio.ddk;

/** {@code DRVO_*}: a driver object's flags (full). */
public final class DriverFlags {

  private DriverFlags() {}

  /** DriverUnload has been, or is being, called. */
  public static final int DRVO_UNLOAD_INVOKED = 0x01;
  /** A non-PnP (non-WDM) driver. */
  public static final int DRVO_LEGACY_DRIVER = 0x02;
  /** Created by {@code IoCreateDriver}: no image, no service. */
  public static final int DRVO_BUILTIN_DRIVER = 0x04;
  /** A reinitialization routine is queued. */
  public static final int DRVO_REINIT_REGISTERED = 0x08;
  /** DriverEntry succeeded. */
  public static final int DRVO_INITIALIZED = 0x10;
  /** A boot reinitialization routine is queued. */
  public static final int DRVO_BOOTREINIT_REGISTERED = 0x20;
  /** {@code DRVO_LEGACY_RESOURCES}. */
  public static final int DRVO_LEGACY_RESOURCES = 0x40;
  /** {@code DRVO_BASE_FILESYSTEM_DRIVER} (defined; unused, as in NT's public sources). */
  public static final int DRVO_BASE_FILESYSTEM_DRIVER = 0x80;
}
