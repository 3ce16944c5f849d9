#set( $BS = '\' )
package ${package};

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;

/**
 * The names and control codes a client of the ${driverName} driver uses: what a Windows driver
 * puts in its {@code public.h}.
 */
public final class ${driverName}Ioctl {

  private ${driverName}Ioctl() {}

  /** The service name; the image is {@code ${driverName}.jar}. */
  public static final String SERVICE = "${driverName}";

  /** The device the driver creates: {@code ${BS}Device${BS}${driverName}}. */
  public static final String DEVICE_NAME = "\\Device\\" + SERVICE;

  /** The symbolic link to {@link #DEVICE_NAME} the driver creates: {@code ${BS}??${BS}${driverName}}. */
  public static final String LINK_NAME = "\\??\\" + SERVICE;

  /** The most bytes the device keeps: a longer write keeps its first {@value} bytes. */
  public static final int CAPACITY = 4096;

  /**
   * How many bytes the device holds: {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800,
   * METHOD_BUFFERED, FILE_ANY_ACCESS)}, {@code 0x00222000}. Answers with the count as a 4-byte
   * little-endian integer ({@code Information} 4); {@code STATUS_BUFFER_TOO_SMALL} if the output
   * buffer is shorter than 4 bytes.
   */
  public static final int IOCTL_QUERY_STORED =
      IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x800,
          IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);
}
