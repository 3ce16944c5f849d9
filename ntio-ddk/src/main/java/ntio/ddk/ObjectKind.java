package ntio.ddk;

/**
 * The object types a driver may name when it references an object by name. Models the exported
 * type pointers such as {@code IoDriverObjectType} and {@code IoDeviceObjectType} (partial).
 */
public enum ObjectKind {
  /** {@code IoDriverObjectType}. */
  DRIVER,
  /** {@code IoDeviceObjectType}. */
  DEVICE,
  /** {@code IoFileObjectType}. */
  FILE,
  /** {@code ObpDirectoryObjectType}. */
  DIRECTORY,
  /** {@code ObpSymbolicLinkObjectType}. */
  SYMBOLIC_LINK,
  /** {@code CmKeyObjectType}. */
  KEY,
  /** {@code ExEventObjectType}. */
  EVENT
}
