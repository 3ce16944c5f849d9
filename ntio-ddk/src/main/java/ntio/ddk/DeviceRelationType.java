package ntio.ddk;

/**
 * {@code DEVICE_RELATION_TYPE}: what an {@code IRP_MN_QUERY_DEVICE_RELATIONS} asks for (full).
 * {@link #BUS_RELATIONS} is the one that enumerates: the bus driver answers with the physical
 * device objects of the children it has now, and the PnP manager adds and removes devnodes to match.
 */
public final class DeviceRelationType {

  private DeviceRelationType() {}

  public static final int BUS_RELATIONS = 0;
  public static final int EJECTION_RELATIONS = 1;
  public static final int POWER_RELATIONS = 2;
  public static final int REMOVAL_RELATIONS = 3;
  public static final int TARGET_DEVICE_RELATION = 4;
  public static final int SINGLE_BUS_RELATIONS = 5;
  public static final int TRANSPORT_RELATIONS = 6;

  private static final String[] NAMES = {
    "BusRelations", "EjectionRelations", "PowerRelations", "RemovalRelations",
    "TargetDeviceRelation", "SingleBusRelations", "TransportRelations"
  };

  /** The type's name as {@code wdm.h} spells it, such as {@code BusRelations}. */
  public static String name(int type) {
    return type >= 0 && type < NAMES.length ? NAMES[type] : "DeviceRelationType(" + type + ")";
  }
}
