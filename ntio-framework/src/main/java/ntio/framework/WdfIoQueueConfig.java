package ntio.framework;

/**
 * What {@link Wdf#ioQueueCreate} is configured with. Models {@code WDF_IO_QUEUE_CONFIG} with
 * {@code WDF_IO_QUEUE_CONFIG_INIT} and {@code WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE} (partial: no
 * power management, no stop/resume/cancel-on-queue callbacks). A plain mutable value, read during
 * the call; not thread-safe.
 */
public final class WdfIoQueueConfig {

  /** {@code WDF_IO_QUEUE_DISPATCH_TYPE}. */
  public enum DispatchType {
    /** {@code WdfIoQueueDispatchSequential}: one request at a time; the next after completion or forward. */
    SEQUENTIAL,
    /** {@code WdfIoQueueDispatchParallel}: every request as it arrives. */
    PARALLEL,
    /** {@code WdfIoQueueDispatchManual}: requests wait until the driver retrieves them. */
    MANUAL
  }

  /** {@code EVT_WDF_IO_QUEUE_IO_READ}. */
  @FunctionalInterface
  public interface IoReadCallback {
    /** A read of {@code length} bytes. */
    void onRead(WdfIoQueue queue, WdfRequest request, long length);
  }

  /** {@code EVT_WDF_IO_QUEUE_IO_WRITE}. */
  @FunctionalInterface
  public interface IoWriteCallback {
    /** A write of {@code length} bytes. */
    void onWrite(WdfIoQueue queue, WdfRequest request, long length);
  }

  /** {@code EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL}. */
  @FunctionalInterface
  public interface IoDeviceControlCallback {
    /** A device control. */
    void onDeviceControl(WdfIoQueue queue, WdfRequest request, long outputBufferLength,
        long inputBufferLength, int ioControlCode);
  }

  /** {@code EVT_WDF_IO_QUEUE_IO_DEFAULT}: any request without a callback of its own. */
  @FunctionalInterface
  public interface IoDefaultCallback {
    /** A request. */
    void onDefault(WdfIoQueue queue, WdfRequest request);
  }

  private final DispatchType dispatchType;
  private final boolean defaultQueue;
  private IoReadCallback read;
  private IoWriteCallback write;
  private IoDeviceControlCallback deviceControl;
  private IoDefaultCallback defaultCallback;

  private WdfIoQueueConfig(DispatchType dispatchType, boolean defaultQueue) {
    this.dispatchType = dispatchType;
    this.defaultQueue = defaultQueue;
  }

  /** A queue that is not the default. Models {@code WDF_IO_QUEUE_CONFIG_INIT} (full). */
  public static WdfIoQueueConfig init(DispatchType dispatchType) {
    return new WdfIoQueueConfig(dispatchType, false);
  }

  /** The device's default queue. Models {@code WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE} (full). */
  public static WdfIoQueueConfig initDefaultQueue(DispatchType dispatchType) {
    return new WdfIoQueueConfig(dispatchType, true);
  }

  /** {@code DispatchType}. */
  public DispatchType dispatchType() {
    return dispatchType;
  }

  /** {@code DefaultQueue}. */
  public boolean isDefaultQueue() {
    return defaultQueue;
  }

  /** {@code EvtIoRead}, or null. */
  public IoReadCallback read() {
    return read;
  }

  /** Sets {@code EvtIoRead}. */
  public WdfIoQueueConfig read(IoReadCallback callback) {
    this.read = callback;
    return this;
  }

  /** {@code EvtIoWrite}, or null. */
  public IoWriteCallback write() {
    return write;
  }

  /** Sets {@code EvtIoWrite}. */
  public WdfIoQueueConfig write(IoWriteCallback callback) {
    this.write = callback;
    return this;
  }

  /** {@code EvtIoDeviceControl}, or null. */
  public IoDeviceControlCallback deviceControl() {
    return deviceControl;
  }

  /** Sets {@code EvtIoDeviceControl}. */
  public WdfIoQueueConfig deviceControl(IoDeviceControlCallback callback) {
    this.deviceControl = callback;
    return this;
  }

  /** {@code EvtIoDefault}, or null. */
  public IoDefaultCallback defaultCallback() {
    return defaultCallback;
  }

  /** Sets {@code EvtIoDefault}. */
  public WdfIoQueueConfig defaultCallback(IoDefaultCallback callback) {
    this.defaultCallback = callback;
    return this;
  }
}
