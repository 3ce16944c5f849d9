package ntio.ddk;

/** Models {@code DEVOBJ_EXTENSION} (partial). */
public interface DeviceObjectExtension {

  /** {@code IO_TYPE_DEVICE_OBJECT_EXTENSION}. */
  int TYPE = 13;

  /** {@code Type}, the {@code IO_TYPE_*} code: always {@link #TYPE}. */
  default int ioType() {
    return TYPE;
  }

  /** {@code DeviceObject}: the device this extension belongs to. */
  DeviceObject deviceObject();

  /** {@code ExtensionFlags}: {@code DOE_*}, see {@link DeviceFlags}. */
  int extensionFlags();

  /** {@code AttachedTo}: the device this one is attached on top of, or null. */
  DeviceObject attachedTo();
}
