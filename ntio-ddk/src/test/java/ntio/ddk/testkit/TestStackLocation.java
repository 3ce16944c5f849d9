package ntio.ddk.testkit;

import java.nio.ByteBuffer;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.IoStackLocation;

/**
 * One stack location of a {@link TestIrp}: the read, write and device-control parameters, the
 * device it is for, and the completion routine the driver above set in it. Models {@code
 * IO_STACK_LOCATION} (partial: no create or information parameters).
 */
final class TestStackLocation implements IoStackLocation {

  /** {@code SL_PENDING_RETURNED}: the driver at this location returned STATUS_PENDING. */
  static final int SL_PENDING_RETURNED = 0x01;
  /** {@code SL_INVOKE_ON_CANCEL}. */
  static final int SL_INVOKE_ON_CANCEL = 0x20;
  /** {@code SL_INVOKE_ON_SUCCESS}. */
  static final int SL_INVOKE_ON_SUCCESS = 0x40;
  /** {@code SL_INVOKE_ON_ERROR}. */
  static final int SL_INVOKE_ON_ERROR = 0x80;

  volatile int majorFunction;
  volatile DeviceObject deviceObject;
  volatile FileObject fileObject;
  volatile int length;
  volatile long byteOffset;
  volatile int ioControlCode;
  volatile int inputBufferLength;
  volatile int outputBufferLength;
  /** {@code Control}: {@code SL_*}. */
  volatile int control;
  volatile CompletionRoutine completionRoutine;
  volatile Object context;

  /** {@code IoCopyCurrentIrpStackLocationToNext}: the parameters, not the completion routine. */
  void copyFrom(TestStackLocation other) {
    majorFunction = other.majorFunction;
    fileObject = other.fileObject;
    length = other.length;
    byteOffset = other.byteOffset;
    ioControlCode = other.ioControlCode;
    inputBufferLength = other.inputBufferLength;
    outputBufferLength = other.outputBufferLength;
    control = 0;
    completionRoutine = null;
    context = null;
  }

  /** What IoCompleteRequest leaves of a location it passed: no routine, no control bits. */
  void clearCompletion() {
    control = 0;
    completionRoutine = null;
    context = null;
  }

  @Override
  public int majorFunction() {
    return majorFunction;
  }

  @Override
  public void setMajorFunction(int majorFunction) {
    this.majorFunction = majorFunction;
  }

  @Override
  public int minorFunction() {
    return 0;
  }

  @Override
  public DeviceObject deviceObject() {
    return deviceObject;
  }

  @Override
  public FileObject fileObject() {
    return fileObject;
  }

  @Override
  public void setFileObject(FileObject fileObject) {
    this.fileObject = fileObject;
  }

  @Override
  public int desiredAccess() {
    return 0;
  }

  @Override
  public int shareAccess() {
    return 0;
  }

  @Override
  public int createOptions() {
    return 0;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public void setLength(int length) {
    this.length = length;
  }

  @Override
  public long byteOffset() {
    return byteOffset;
  }

  @Override
  public void setByteOffset(long byteOffset) {
    this.byteOffset = byteOffset;
  }

  @Override
  public int fileInformationClass() {
    return 0;
  }

  @Override
  public int fsInformationClass() {
    return 0;
  }

  @Override
  public int ioControlCode() {
    return ioControlCode;
  }

  @Override
  public void setDeviceControl(int ioControlCode, int inputBufferLength, int outputBufferLength) {
    this.ioControlCode = ioControlCode;
    this.inputBufferLength = inputBufferLength;
    this.outputBufferLength = outputBufferLength;
  }

  @Override
  public int inputBufferLength() {
    return inputBufferLength;
  }

  @Override
  public int outputBufferLength() {
    return outputBufferLength;
  }

  /** The kit's requests are buffered: no {@code METHOD_NEITHER} input. */
  @Override
  public ByteBuffer type3InputBuffer() {
    return null;
  }
}
