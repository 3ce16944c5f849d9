package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import ntio.ddk.DeviceFlags;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;

/**
 * What a read, write, device control, flush, file-information or volume-query request carries: the major
 * function, the access the handle needs, the caller's data (a write's bytes, a control's input;
 * not copied) and the parameters of the first stack location. It chooses the request's buffers as
 * NT does ({@link #buffers}), and with them what goes back to the caller ({@link Buffers#returned}).
 */
record Transfer(int major, int access, byte[] data, int length, long byteOffset,
    int ioControlCode, int inputLength, int outputLength, int informationClass) {

  /** The empty buffer: shared, since nothing can be written into it. */
  static final byte[] NO_BYTES = new byte[0];

  /** The view of an empty caller buffer: shared, since the IRP hands out only duplicates. */
  private static final ByteBuffer NO_VIEW = ByteBuffer.allocate(0).asReadOnlyBuffer();

  static Transfer of(int major, int access, byte[] data, int length, long byteOffset) {
    return new Transfer(major, access, data, length, byteOffset, 0, 0, 0, 0);
  }

  static Transfer control(int major, int access, byte[] input, int ioControlCode,
      int outputLength) {
    return new Transfer(major, access, input, 0, 0, ioControlCode, input.length, outputLength, 0);
  }

  /**
   * A query (data null) or set of file information, or a query of volume information ({@code
   * informationClass} is then the FS information class, in the same union slot): always through
   * the system buffer.
   */
  static Transfer information(int major, int access, byte[] data, int length,
      int informationClass) {
    return new Transfer(major, access, data, length, 0, 0, 0, 0, informationClass);
  }

  void applyTo(ntio.ddk.IoStackLocation next) {
    next.setLength(length);
    next.setByteOffset(byteOffset);
    next.setInformationClass(informationClass);
    next.setDeviceControl(ioControlCode, inputLength, outputLength);
  }

  /** How many bytes may go back to the caller: none unless the request reads. */
  private int returnLimit() {
    return switch (major) {
      case MajorFunctions.IRP_MJ_READ, MajorFunctions.IRP_MJ_QUERY_INFORMATION,
          MajorFunctions.IRP_MJ_QUERY_VOLUME_INFORMATION -> length;
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL, MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL ->
          outputLength;
      default -> 0;
    };
  }

  /**
   * The buffers, as NT chooses them: for a read or write by the device's {@code DO_BUFFERED_IO}
   * and {@code DO_DIRECT_IO} flags (neither means neither I/O), for a device control by the
   * control code's method.
   */
  Buffers buffers(int deviceFlags) {
    int limit = returnLimit();
    switch (major) {
      case MajorFunctions.IRP_MJ_READ, MajorFunctions.IRP_MJ_WRITE -> {
        boolean write = major == MajorFunctions.IRP_MJ_WRITE;
        if ((deviceFlags & DeviceFlags.DO_BUFFERED_IO) != 0) {
          byte[] system = write ? data.clone() : newBuffer(length);
          // NtReadFile allocates no system buffer for a length of 0, yet the request is still an
          // input operation whose Information bytes IopCompleteRequest copies back.
          Output output = !write && length == 0 ? Output.NO_SYSTEM_BUFFER : Output.SYSTEM_BUFFER;
          return new Buffers(system, null, null, null, system, output, limit);
        }
        byte[] caller = write ? data : newBuffer(length);
        if ((deviceFlags & DeviceFlags.DO_DIRECT_IO) != 0) {
          return new Buffers(NO_BYTES, new KernelMdl(caller, length, !write), null, null, caller,
              Output.TRANSFERRED, limit);
        }
        if (length == 0) {
          return new Buffers(NO_BYTES, null, NO_VIEW, null, NO_BYTES, Output.TRANSFERRED, limit);
        }
        ByteBuffer user = ByteBuffer.wrap(caller, 0, length).slice();
        return new Buffers(NO_BYTES, null, write ? user.asReadOnlyBuffer() : user, null, caller,
            Output.TRANSFERRED, limit);
      }
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL, MajorFunctions.IRP_MJ_INTERNAL_DEVICE_CONTROL -> {
        int method = IoControlCodes.method(ioControlCode);
        if (method == IoControlCodes.METHOD_BUFFERED) {
          byte[] system = Arrays.copyOf(data, Math.max(inputLength, outputLength));
          return new Buffers(system, null, null, null, system, Output.SYSTEM_BUFFER, limit);
        }
        byte[] output = newBuffer(outputLength);
        if (method == IoControlCodes.METHOD_NEITHER) {
          ByteBuffer input = inputLength == 0 ? null
              : ByteBuffer.wrap(data, 0, inputLength).slice().asReadOnlyBuffer();
          return new Buffers(NO_BYTES, null, ByteBuffer.wrap(output), input, output,
              Output.CALLER_MEMORY, limit);
        }
        boolean outDirect = method == IoControlCodes.METHOD_OUT_DIRECT;
        KernelMdl mdl = outputLength == 0 ? null : new KernelMdl(output, outputLength, outDirect);
        return new Buffers(data.clone(), mdl, null, null, output,
            outDirect ? Output.CALLER_MEMORY : Output.TRANSFERRED, limit);
      }
      case MajorFunctions.IRP_MJ_QUERY_INFORMATION,
          MajorFunctions.IRP_MJ_QUERY_VOLUME_INFORMATION -> {
        byte[] system = newBuffer(length);
        return new Buffers(system, null, null, null, system, Output.SYSTEM_BUFFER, limit);
      }
      case MajorFunctions.IRP_MJ_SET_INFORMATION -> {
        return new Buffers(data.clone(), null, null, null, NO_BYTES, Output.SYSTEM_BUFFER, 0);
      }
      default -> {
        return new Buffers(NO_BYTES, null, null, null, NO_BYTES, Output.SYSTEM_BUFFER, 0);
      }
    }
  }

  private static byte[] newBuffer(int length) {
    return length == 0 ? NO_BYTES : new byte[length];
  }

  /** How a request's output reaches the caller's buffer. */
  enum Output {
    /**
     * Buffered I/O: {@code IopCompleteRequest} copies the first {@code Information} bytes of the
     * system buffer back, unless the final status is an error or {@code STATUS_VERIFY_REQUIRED}
     * ({@link StatusBlockRules#copiesSystemBuffer}).
     */
    SYSTEM_BUFFER,
    /**
     * A buffered read of length 0: NT allocates no system buffer, so copying back any {@code
     * Information} bytes the driver claims reads from NULL and faults ({@link Buffers#finalStatus}).
     */
    NO_SYSTEM_BUFFER,
    /**
     * METHOD_OUT_DIRECT and METHOD_NEITHER device controls: the driver wrote into the caller's
     * own memory, so the caller's buffer holds all the driver wrote whatever {@code Information}
     * and the status say.
     */
    CALLER_MEMORY,
    /**
     * Direct and neither reads, METHOD_IN_DIRECT controls: the first {@code Information} bytes,
     * none for an error (partial: ntio hands the caller what was transferred rather than its
     * whole buffer).
     */
    TRANSFERRED
  }

  /**
   * A request's buffers: the system buffer, the MDL and user buffer over the caller's memory, a
   * METHOD_NEITHER control's input, the array whose bytes go back to the caller, how they go back,
   * and at most how many.
   */
  record Buffers(byte[] system, KernelMdl mdl, ByteBuffer user, ByteBuffer type3, byte[] result,
      Output output, int limit) {

    /**
     * What the caller's buffer receives once the request is finished with {@code status} and
     * {@code information}. The array itself when all of it is returned: the request is finished
     * and no driver may touch it again.
     */
    /**
     * The request's final status as {@code IopCompleteRequest} leaves it: the driver's {@code
     * IoStatus.Status}, unless copying the system buffer back faults — a buffered read of length 0
     * (no system buffer) completed with a status that copies and a non-zero {@code Information}
     * — which NT catches and turns into {@code STATUS_ACCESS_VIOLATION} (ReactOS
     * kmtests/ntos_io/IoReadWrite_user.c, TestRead, run on Windows, shows it).
     */
    NtStatus finalStatus(NtStatus status, long information) {
      boolean faults = output == Output.NO_SYSTEM_BUFFER && information != 0
          && StatusBlockRules.copiesSystemBuffer(status);
      return faults ? NtStatus.STATUS_ACCESS_VIOLATION : status;
    }

    byte[] returned(NtStatus status, long information) {
      if (limit <= 0 || result.length == 0) {
        return NO_BYTES;
      }
      long count = switch (output) {
        case CALLER_MEMORY -> result.length;
        case SYSTEM_BUFFER -> StatusBlockRules.copiesSystemBuffer(status) ? information : 0;
        case NO_SYSTEM_BUFFER -> 0;
        case TRANSFERRED -> status.isError() ? 0 : information;
      };
      if (count <= 0) {
        return NO_BYTES;
      }
      int n = (int) Math.min(count, Math.min(result.length, limit));
      return n == result.length ? result : Arrays.copyOf(result, n);
    }
  }
}
