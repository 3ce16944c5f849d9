package ntio.kernel.io;

import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.objects.Directory;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.security.SecurityDescriptor;

/**
 * The I/O manager's object types and root directories, created at I/O initialization. Models
 * {@code IopCreateObjectTypes} and {@code IopCreateRootDirectories} (full for the namespace; the
 * types' procedures are the I/O manager's).
 *
 * <p>Driver, Device and File share the file generic mapping (B46, T29): read
 * {@code 0x120089}, write {@code 0x120116}, execute {@code 0x1200A0}, all and valid
 * {@code 0x1F01FF}, and refuse {@code OBJ_OPENLINK}.
 *
 * @param driverType {@code \ObjectTypes\Driver}
 * @param deviceType {@code \ObjectTypes\Device}
 * @param fileType {@code \ObjectTypes\File}
 * @param driverDirectory {@code \Driver}
 * @param fileSystemDirectory {@code \FileSystem}
 * @param filtersDirectory {@code \FileSystem\Filters}
 */
public record IoObjectTypes(
    ObjectType driverType,
    ObjectType deviceType,
    ObjectType fileType,
    Directory driverDirectory,
    Directory fileSystemDirectory,
    Directory filtersDirectory) {

  /** The generic mapping of files, devices and drivers ({@code IopFileMapping}). */
  public static final GenericMapping FILE_MAPPING =
      new GenericMapping(
          AccessMask.FILE_GENERIC_READ,
          AccessMask.FILE_GENERIC_WRITE,
          AccessMask.FILE_GENERIC_EXECUTE,
          AccessMask.FILE_ALL_ACCESS);

  /** Creates the types and directories in {@code objects}' namespace. */
  public static IoObjectTypes create(ObjectManager objects, SecurityDescriptor deviceSecurity) {
    ObjectType driver = objects.createType(fileLike("Driver").defaultSecurity(deviceSecurity));
    ObjectType device = objects.createType(fileLike("Device").defaultSecurity(deviceSecurity));
    ObjectType file = objects.createType(fileLike("File"));
    Directory drivers = objects.createKernelDirectory("\\Driver");
    Directory fileSystems = objects.createKernelDirectory("\\FileSystem");
    Directory filters = objects.createKernelDirectory("\\FileSystem\\Filters");
    return new IoObjectTypes(driver, device, file, drivers, fileSystems, filters);
  }

  private static ObjectType.Builder fileLike(String name) {
    return ObjectType.builder(name)
        .genericMapping(FILE_MAPPING)
        .validAccessMask(AccessMask.FILE_ALL_ACCESS)
        .invalidAttributes(ObjectAttributes.OBJ_OPENLINK)
        .caseInsensitive(true);
  }
}
