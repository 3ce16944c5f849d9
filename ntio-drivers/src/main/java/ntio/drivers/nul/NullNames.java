package ntio.drivers.nul;

/** The names a client of the Null driver uses. */
public final class NullNames {

  private NullNames() {}

  /** The device the driver creates: {@code \Device\Null}. */
  public static final String DEVICE_NAME = "\\Device\\Null";
}
