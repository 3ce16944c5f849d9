package ntio.ddk;

import java.util.List;

/**
 * {@code DEVICE_RELATIONS}: a driver's answer to {@code IRP_MN_QUERY_DEVICE_RELATIONS}, carried in
 * the IRP's {@link IoStatusBlock#informationPointer()}. As in NT, the driver references each device
 * object it lists ({@code ObReferenceObject}); the PnP manager dereferences them when it is done.
 * A driver that adds to relations a lower driver already set reads the old list, builds a new one
 * with its own devices added, and replaces it.
 *
 * @param objects the device objects, in the driver's order
 */
public record DeviceRelations(List<DeviceObject> objects) {

  /** Copies the list. */
  public DeviceRelations {
    objects = List.copyOf(objects);
  }

  /** {@code Count}. */
  public int count() {
    return objects.size();
  }
}
