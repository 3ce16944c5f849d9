package ntio.ddk;

/**
 * One driver's view of a request. Models {@code IO_STACK_LOCATION} (partial: the create, read,
 * write, device-control, file-information and volume-query parameters).
 */
public interface IoStackLocation {

  /** {@code MajorFunction}: {@code IRP_MJ_*}, see {@link MajorFunctions}. */
  int majorFunction();

  /**
   * Sets {@code MajorFunction}, in the next location of a request a driver sends on as another
   * kind (a filter turning a request into another, say).
   */
  void setMajorFunction(int majorFunction);

  /** {@code MinorFunction}. */
  int minorFunction();

  /** {@code DeviceObject}: the device this location is for. */
  DeviceObject deviceObject();

  /** {@code FileObject}: the open the request is made on. */
  FileObject fileObject();

  /**
   * Sets {@code FileObject} in a location a driver passes on, typically the file object {@link
   * KernelServices#getDeviceObjectPointer} returned.
   */
  void setFileObject(FileObject fileObject);

  /** For {@code IRP_MJ_CREATE}: {@code Parameters.Create.SecurityContext->DesiredAccess}. */
  int desiredAccess();

  /** For {@code IRP_MJ_CREATE}: {@code Parameters.Create.ShareAccess}. */
  int shareAccess();

  /** For {@code IRP_MJ_CREATE}: {@code Parameters.Create.Options}. */
  int createOptions();

  /** For {@code IRP_MJ_READ} and {@code IRP_MJ_WRITE}: {@code Parameters.Read.Length}. */
  int length();

  /** Sets {@code Parameters.Read.Length} (or {@code Write}) in a location a driver passes on. */
  void setLength(int length);

  /** For {@code IRP_MJ_READ} and {@code IRP_MJ_WRITE}: {@code Parameters.Read.ByteOffset}. */
  long byteOffset();

  /** Sets {@code Parameters.Read.ByteOffset} (or {@code Write}) in a location a driver passes on. */
  void setByteOffset(long byteOffset);

  /**
   * For {@code IRP_MJ_QUERY_INFORMATION} and {@code IRP_MJ_SET_INFORMATION}: {@code
   * Parameters.QueryFile.FileInformationClass} ({@link FileInformationClass}); the buffer's
   * length is {@link #length()}.
   */
  int fileInformationClass();

  /**
   * For {@code IRP_MJ_QUERY_VOLUME_INFORMATION}: {@code Parameters.QueryVolume.FsInformationClass}
   * ({@link FsInformationClass}); the system buffer's length is {@link #length()} ({@code
   * Parameters.QueryVolume.Length}). The same union slot as {@link #fileInformationClass()}.
   */
  int fsInformationClass();

  /** For {@code IRP_MJ_DEVICE_CONTROL}: {@code Parameters.DeviceIoControl.IoControlCode}. */
  int ioControlCode();

  /**
   * Sets a device control's code and buffer lengths in a location a driver fills, for a request
   * it allocated.
   */
  void setDeviceControl(int ioControlCode, int inputBufferLength, int outputBufferLength);

  /** For {@code IRP_MJ_DEVICE_CONTROL}: {@code Parameters.DeviceIoControl.InputBufferLength}. */
  int inputBufferLength();

  /** For {@code IRP_MJ_DEVICE_CONTROL}: {@code Parameters.DeviceIoControl.OutputBufferLength}. */
  int outputBufferLength();

  /**
   * For a {@code METHOD_NEITHER} device control: {@code Parameters.DeviceIoControl.Type3InputBuffer},
   * a read-only view of the caller's input; null otherwise.
   */
  java.nio.ByteBuffer type3InputBuffer();
}
