package ntio.ddk;

/**
 * One driver's view of a request. Models {@code IO_STACK_LOCATION} (partial: the create, read,
 * write, device-control, file-information, volume-query and Plug and Play parameters), the struct {@code wdm.h}
 * defines: one data class, written once, that the kernel's IRPs and the DDK test kit's both hold
 * (through {@link AbstractIrp}).
 *
 * <p>Thread-safety follows NT's ownership rule: one driver owns a request, and so its locations,
 * at a time; ownership passes with {@code IoCallDriver} and {@code IoCompleteRequest}, which may
 * happen on different threads, so every field is volatile. The completion fields ({@code
 * CompletionRoutine}, {@code Context}, {@code Control}) are written only through the IRP ({@link
 * Irp#setCompletionRoutine}, {@link Irp#markPending()} and the I/O manager's completion walk).
 */
public final class IoStackLocation {

  /** {@code SL_PENDING_RETURNED}: the driver at this location returned STATUS_PENDING. */
  public static final int SL_PENDING_RETURNED = 0x01;

  /** {@code SL_INVOKE_ON_CANCEL}. */
  public static final int SL_INVOKE_ON_CANCEL = 0x20;

  /** {@code SL_INVOKE_ON_SUCCESS}. */
  public static final int SL_INVOKE_ON_SUCCESS = 0x40;

  /** {@code SL_INVOKE_ON_ERROR}. */
  public static final int SL_INVOKE_ON_ERROR = 0x80;

  private volatile int majorFunction;
  private volatile int minorFunction;
  /** {@code Control}: {@code SL_*}. */
  volatile int control;
  private volatile DeviceObject deviceObject;
  private volatile FileObject fileObject;
  volatile CompletionRoutine completionRoutine;
  volatile Object context;
  private volatile int desiredAccess;
  private volatile int shareAccess;
  private volatile int createOptions;
  private volatile int length;
  private volatile long byteOffset;
  private volatile int ioControlCode;
  private volatile int fileInformationClass;
  private volatile int inputBufferLength;
  private volatile int outputBufferLength;
  private volatile java.nio.ByteBuffer type3InputBuffer;
  private volatile int pnpParameter;
  private volatile DeviceCapabilities deviceCapabilities;

  /** A zeroed location, as {@code IoAllocateIrp} leaves one; only an IRP makes them. */
  IoStackLocation() {}

  /**
   * {@code IoCopyCurrentIrpStackLocationToNext}'s copy: everything but the device, the completion
   * routine and the control bits, which it clears.
   */
  void copyFrom(IoStackLocation other) {
    majorFunction = other.majorFunction;
    minorFunction = other.minorFunction;
    fileObject = other.fileObject;
    desiredAccess = other.desiredAccess;
    shareAccess = other.shareAccess;
    createOptions = other.createOptions;
    length = other.length;
    byteOffset = other.byteOffset;
    ioControlCode = other.ioControlCode;
    fileInformationClass = other.fileInformationClass;
    inputBufferLength = other.inputBufferLength;
    outputBufferLength = other.outputBufferLength;
    type3InputBuffer = other.type3InputBuffer;
    pnpParameter = other.pnpParameter;
    deviceCapabilities = other.deviceCapabilities;
    clearCompletion();
  }

  /** What {@code IoCompleteRequest} leaves of a location it passed: no routine, no control bits. */
  void clearCompletion() {
    control = 0;
    completionRoutine = null;
    context = null;
  }

  /** Set by {@code IoCallDriver} when the location becomes its device's. */
  void setDeviceObject(DeviceObject device) {
    this.deviceObject = device;
  }

  /** {@code MajorFunction}: {@code IRP_MJ_*}, see {@link MajorFunctions}. */
  public int majorFunction() {
    return majorFunction;
  }

  /**
   * Sets {@code MajorFunction}, in the next location of a request a driver sends on as another
   * kind (a filter turning a request into another, say).
   */
  public void setMajorFunction(int majorFunction) {
    this.majorFunction = majorFunction;
  }

  /** {@code MinorFunction}. */
  public int minorFunction() {
    return minorFunction;
  }

  /** {@code DeviceObject}: the device this location is for. */
  public DeviceObject deviceObject() {
    return deviceObject;
  }

  /** {@code FileObject}: the open the request is made on. */
  public FileObject fileObject() {
    return fileObject;
  }

  /**
   * Sets {@code FileObject} in a location a driver passes on, typically the file object {@link
   * KernelServices#getDeviceObjectPointer} returned.
   */
  public void setFileObject(FileObject fileObject) {
    this.fileObject = fileObject;
  }

  /** For {@code IRP_MJ_CREATE}: {@code Parameters.Create.SecurityContext->DesiredAccess}. */
  public int desiredAccess() {
    return desiredAccess;
  }

  /** For {@code IRP_MJ_CREATE}: {@code Parameters.Create.ShareAccess}. */
  public int shareAccess() {
    return shareAccess;
  }

  /** For {@code IRP_MJ_CREATE}: {@code Parameters.Create.Options}. */
  public int createOptions() {
    return createOptions;
  }

  /** Sets the {@code Parameters.Create} of the location an open is sent with. */
  public void setCreate(int desiredAccess, int shareAccess, int createOptions) {
    this.desiredAccess = desiredAccess;
    this.shareAccess = shareAccess;
    this.createOptions = createOptions;
  }

  /** For {@code IRP_MJ_READ} and {@code IRP_MJ_WRITE}: {@code Parameters.Read.Length}. */
  public int length() {
    return length;
  }

  /** Sets {@code Parameters.Read.Length} (or {@code Write}) in a location a driver passes on. */
  public void setLength(int length) {
    this.length = length;
  }

  /** For {@code IRP_MJ_READ} and {@code IRP_MJ_WRITE}: {@code Parameters.Read.ByteOffset}. */
  public long byteOffset() {
    return byteOffset;
  }

  /** Sets {@code Parameters.Read.ByteOffset} (or {@code Write}) in a location a driver passes on. */
  public void setByteOffset(long byteOffset) {
    this.byteOffset = byteOffset;
  }

  /**
   * For {@code IRP_MJ_QUERY_INFORMATION} and {@code IRP_MJ_SET_INFORMATION}: {@code
   * Parameters.QueryFile.FileInformationClass} ({@link FileInformationClass}); the buffer's
   * length is {@link #length()}.
   */
  public int fileInformationClass() {
    return fileInformationClass;
  }

  /**
   * Sets {@code Parameters.QueryFile.FileInformationClass} (or {@code SetFile}'s, or {@code
   * QueryVolume.FsInformationClass}: the same union slot).
   */
  public void setInformationClass(int informationClass) {
    this.fileInformationClass = informationClass;
  }

  /**
   * For {@code IRP_MJ_QUERY_VOLUME_INFORMATION}: {@code Parameters.QueryVolume.FsInformationClass}
   * ({@link FsInformationClass}); the system buffer's length is {@link #length()} ({@code
   * Parameters.QueryVolume.Length}). The same union slot as {@link #fileInformationClass()}.
   */
  public int fsInformationClass() {
    return fileInformationClass;
  }

  /**
   * For {@code IRP_MJ_PNP} with {@code IRP_MN_QUERY_DEVICE_RELATIONS}: {@code
   * Parameters.QueryDeviceRelations.Type} ({@link DeviceRelationType}).
   */
  public int queryDeviceRelationsType() {
    return pnpParameter;
  }

  /**
   * For {@code IRP_MJ_PNP} with {@code IRP_MN_QUERY_ID}: {@code Parameters.QueryId.IdType} ({@link
   * BusQueryIdType}). The same union slot as {@link #queryDeviceRelationsType()}.
   */
  public int queryIdType() {
    return pnpParameter;
  }

  /**
   * Makes this location a Plug and Play request: {@code MajorFunction} {@code IRP_MJ_PNP}, the
   * minor function ({@link PnpMinorFunctions}) and its one parameter in the union (the relation
   * type of a relations query, the ID type of an ID query; 0 for the others).
   */
  public void setPnp(int minorFunction, int parameter) {
    this.majorFunction = MajorFunctions.IRP_MJ_PNP;
    this.minorFunction = minorFunction;
    this.pnpParameter = parameter;
    this.deviceCapabilities = null;
  }

  /**
   * For {@code IRP_MJ_PNP} with {@code IRP_MN_QUERY_CAPABILITIES}: {@code
   * Parameters.DeviceCapabilities.Capabilities}, the sender's structure each driver fills in; null
   * for any other request.
   */
  public DeviceCapabilities deviceCapabilities() {
    return deviceCapabilities;
  }

  /**
   * Makes this location an {@code IRP_MN_QUERY_CAPABILITIES} request carrying {@code capabilities}
   * (the sender's, filled in first as {@link DeviceCapabilities} says).
   */
  public void setQueryCapabilities(DeviceCapabilities capabilities) {
    setPnp(PnpMinorFunctions.IRP_MN_QUERY_CAPABILITIES, 0);
    this.deviceCapabilities = capabilities;
  }

  /** For {@code IRP_MJ_DEVICE_CONTROL}: {@code Parameters.DeviceIoControl.IoControlCode}. */
  public int ioControlCode() {
    return ioControlCode;
  }

  /**
   * Sets a device control's code and buffer lengths in a location a driver fills, for a request
   * it allocated.
   */
  public void setDeviceControl(int ioControlCode, int inputBufferLength, int outputBufferLength) {
    this.ioControlCode = ioControlCode;
    this.inputBufferLength = inputBufferLength;
    this.outputBufferLength = outputBufferLength;
  }

  /** For {@code IRP_MJ_DEVICE_CONTROL}: {@code Parameters.DeviceIoControl.InputBufferLength}. */
  public int inputBufferLength() {
    return inputBufferLength;
  }

  /** For {@code IRP_MJ_DEVICE_CONTROL}: {@code Parameters.DeviceIoControl.OutputBufferLength}. */
  public int outputBufferLength() {
    return outputBufferLength;
  }

  /**
   * For a {@code METHOD_NEITHER} device control: {@code Parameters.DeviceIoControl.Type3InputBuffer},
   * a read-only view of the caller's input; null otherwise.
   */
  public java.nio.ByteBuffer type3InputBuffer() {
    java.nio.ByteBuffer buffer = type3InputBuffer;
    return buffer == null ? null : buffer.duplicate();
  }

  /** Sets {@code Parameters.DeviceIoControl.Type3InputBuffer}, as the I/O manager does. */
  public void setType3InputBuffer(java.nio.ByteBuffer buffer) {
    this.type3InputBuffer = buffer;
  }

  /** {@code CompletionRoutine}: what the driver above set for this location, or null. */
  public CompletionRoutine completionRoutine() {
    return completionRoutine;
  }

  /** {@code Context}: what {@link #completionRoutine()} is given back. */
  public Object completionContext() {
    return context;
  }

  /** {@code Control}: the {@code SL_*} bits. */
  public int control() {
    return control;
  }
}
