package ntio.kernel.io;

import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.objects.ObjectType;

/**
 * The generic mapping and attributes the I/O manager's types share. Driver, Device and File use
 * the file generic mapping (B46, T29): read {@code 0x120089}, write {@code 0x120116}, execute
 * {@code 0x1200A0}, all and valid {@code 0x1F01FF}; and refuse {@code OBJ_OPENLINK}. Models
 * {@code IopFileMapping} and the type initializers of {@code IopCreateObjectTypes} (full).
 */
final class IoObjectTypes {

  private IoObjectTypes() {}

  /** The generic mapping of files, devices and drivers ({@code IopFileMapping}). */
  static final GenericMapping FILE_MAPPING =
      new GenericMapping(
          AccessMask.FILE_GENERIC_READ,
          AccessMask.FILE_GENERIC_WRITE,
          AccessMask.FILE_GENERIC_EXECUTE,
          AccessMask.FILE_ALL_ACCESS);

  static ObjectType.Builder fileLike(String name) {
    return ObjectType.builder(name)
        .genericMapping(FILE_MAPPING)
        .validAccessMask(AccessMask.FILE_ALL_ACCESS)
        .invalidAttributes(ObjectAttributes.OBJ_OPENLINK)
        .caseInsensitive(true);
  }
}
