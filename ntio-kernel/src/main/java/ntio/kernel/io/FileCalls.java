package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.FileInformationClass;
import ntio.ddk.FileObject;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;

/**
 * The file system calls a client makes: {@code NtCreateFile}, {@code NtReadFile}, {@code
 * NtWriteFile}, {@code NtDeviceIoControlFile}, {@code NtFlushBuffersFile}, {@code
 * NtQueryInformationFile}, {@code NtSetInformationFile}, {@code NtQueryVolumeInformationFile},
 * {@code NtCancelIoFile(Ex)}. Models ReactOS's {@code iofunc.c}. Each call's request goes through
 * {@link Requests} ({@code irp.c}); what the call gives back follows NT's rules ({@link
 * StatusBlockRules}), its buffers are chosen as NT chooses them ({@link Transfer}).
 *
 * <p>No request escapes its process's rundown: a client request is listed under its process's
 * rundown lock before any driver sees it ({@link OutstandingRequests}), so the rundown either finds
 * and cancels it or the request is refused with {@code STATUS_PROCESS_IS_TERMINATING}.
 */
public final class FileCalls {

  private static final byte[] NO_BYTES = Transfer.NO_BYTES;

  private final IoManager io;

  /** The client requests not yet finished, and what cancels them. */
  private final OutstandingRequests outstanding;

  /** How a client call is sent, waited for or finished. */
  private final ClientCalls calls;
  private final VolumeQueries volumes;

  FileCalls(IoManager io, Requests requests) {
    this.io = io;
    this.outstanding = new OutstandingRequests(io, requests);
    this.calls = new ClientCalls(io, requests, outstanding);
    this.volumes = new VolumeQueries(io, calls);
  }

  /** Sets how long cancels and rundowns wait for drivers to complete cancelled requests. */
  void setCancelWait(Duration wait) {
    outstanding.setCancelWait(wait);
  }

  /** The client requests not yet finished, by process: what {@link Holders} lists as pending. */
  OutstandingRequests outstanding() {
    return outstanding;
  }

  /**
   * {@code NtCreateFile} / {@code NtOpenFile} of a device. The synchronous-I/O options are checked
   * first, as NT's IoCreateFile does: both {@code FILE_SYNCHRONOUS_IO_ALERT} and {@code
   * FILE_SYNCHRONOUS_IO_NONALERT}, or either without {@code SYNCHRONIZE} in the desired access, is
   * {@code STATUS_INVALID_PARAMETER}.
   */
  public OpenResult ntCreateFile(KThread thread, int desiredAccess, ObjectAttributes attributes,
      int shareAccess, int createOptions) {
    boolean alert = (createOptions & CreateOptions.FILE_SYNCHRONOUS_IO_ALERT) != 0;
    boolean nonAlert = (createOptions & CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT) != 0;
    if ((alert && nonAlert) || ((alert || nonAlert) && (desiredAccess & AccessMask.SYNCHRONIZE) == 0)) {
      return new OpenResult(NtStatus.STATUS_INVALID_PARAMETER, Handle.NULL);
    }
    return io.objects.openByName(attributes, io.fileType, desiredAccess, thread,
        new OpenPacket(shareAccess, createOptions, false));
  }

  /** {@code NtReadFile}, waiting for the result. */
  public IoResult ntReadFile(KThread thread, Handle handle, int length, long byteOffset) {
    if (length < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, null, length, byteOffset));
  }

  /**
   * {@code NtWriteFile}, waiting for the result. A null {@code data} is a NULL buffer of length 0,
   * which NT sends to the driver like any write (ReactOS {@code IoReadWrite_user.c}, {@code
   * TestWrite}, run on Windows: the driver's status comes back, with {@code Information} 0).
   */
  public IoResult ntWriteFile(KThread thread, Handle handle, byte[] data, long byteOffset) {
    byte[] bytes = data == null ? NO_BYTES : data;
    return calls.callAndWait(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, bytes, bytes.length, byteOffset));
  }

  /** {@code NtDeviceIoControlFile}, waiting for the result. */
  public IoResult ntDeviceIoControlFile(KThread thread, Handle handle, int ioControlCode,
      byte[] input, int outputLength) {
    if (outputLength < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.callAndWait(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        requiredAccess(ioControlCode), input == null ? NO_BYTES : input, ioControlCode,
        outputLength));
  }

  /**
   * {@code NtFlushBuffersFile}: sends IRP_MJ_FLUSH_BUFFERS and waits for it. The handle needs
   * {@code FILE_WRITE_DATA} or {@code FILE_APPEND_DATA} ({@code STATUS_ACCESS_DENIED} otherwise),
   * as NT requires. Models {@code NtFlushBuffersFile} (full for devices).
   */
  public NtStatus ntFlushBuffersFile(KThread thread, Handle handle) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return found.status();
    }
    found.object().dereference();
    if ((found.grantedAccess() & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) == 0) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    return calls.callAndWait(thread, handle,
        Transfer.of(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, 0, null, 0, 0)).status();
  }

  /**
   * {@code NtQueryInformationFile}: what a class of information says of the open. The class must
   * be one that can be queried ({@code STATUS_INVALID_INFO_CLASS}), the length at least its size
   * ({@code STATUS_INFO_LENGTH_MISMATCH}) and the handle granted its access ({@code
   * STATUS_ACCESS_DENIED}), all checked before any driver sees it. The I/O manager answers {@code
   * FileAccessInformation}, {@code FileModeInformation} and {@code FileAlignmentInformation}
   * itself; the rest go to the driver as IRP_MJ_QUERY_INFORMATION. Models {@code
   * NtQueryInformationFile} (partial: the classes of {@link FileInformationClass}).
   */
  public IoResult ntQueryInformationFile(KThread thread, Handle handle, int informationClass,
      int length) {
    int minimum = FileInformationClass.queryLength(informationClass);
    if (minimum < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_INFO_CLASS);
    }
    if (length < minimum) {
      return IoResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    if (informationClass == FileInformationClass.FILE_ACCESS_INFORMATION
        || informationClass == FileInformationClass.FILE_MODE_INFORMATION
        || informationClass == FileInformationClass.FILE_ALIGNMENT_INFORMATION) {
      return answeredByTheIoManager(thread, handle, informationClass);
    }
    return calls.callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_QUERY_INFORMATION, FileInformationClass.queryAccess(informationClass),
        null, length, informationClass));
  }

  private static int modeInformation(int fileObjectFlags) {
    if ((fileObjectFlags & FileObject.FO_ALERTABLE_IO) != 0) {
      return CreateOptions.FILE_SYNCHRONOUS_IO_ALERT;
    }
    return (fileObjectFlags & FileObject.FO_SYNCHRONOUS_IO) != 0 ? CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT : 0;
  }

  private IoResult answeredByTheIoManager(KThread thread, Handle handle, int informationClass) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return IoResult.failed(found.status());
    }
    try {
      int value = switch (informationClass) {
        case FileInformationClass.FILE_ACCESS_INFORMATION -> found.grantedAccess();
        case FileInformationClass.FILE_ALIGNMENT_INFORMATION ->
            found.object().device().alignmentRequirement();
        // FileModeInformation: of the modes ntio keeps, the synchronous-I/O option of the open.
        default -> modeInformation(found.object().flags());
      };
      byte[] data = ByteBuffer.allocate(Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putInt(value).array();
      return new IoResult(NtStatus.STATUS_SUCCESS, data.length, data);
    } finally {
      found.object().dereference();
    }
  }

  /**
   * {@code NtQueryVolumeInformationFile}: what a class of volume information says of the device
   * the open is on. See {@link VolumeQueries#query} for the checks and who answers.
   */
  public IoResult ntQueryVolumeInformationFile(KThread thread, Handle handle,
      int fsInformationClass, int length) {
    return volumes.query(thread, handle, fsInformationClass, length);
  }

  /**
   * {@code NtSetInformationFile}: sends {@code data} as a class of information to the driver
   * (IRP_MJ_SET_INFORMATION), after the same checks as {@link #ntQueryInformationFile}, with the
   * class's set access. Models {@code NtSetInformationFile} (partial: the classes of {@link
   * FileInformationClass}; the I/O manager keeps no position or mode of its own).
   */
  public IoResult ntSetInformationFile(KThread thread, Handle handle, int informationClass,
      byte[] data) {
    if (data == null) {
      return IoResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    int minimum = FileInformationClass.setLength(informationClass);
    if (minimum < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_INFO_CLASS);
    }
    if (data.length < minimum) {
      return IoResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    return calls.callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_SET_INFORMATION, FileInformationClass.setAccess(informationClass),
        data, data.length, informationClass));
  }

  /**
   * {@code NtReadFile} as an overlapped call: returns at once with the request, whose {@link
   * IoRequest#returnedStatus()} is what NT's system service returns ({@code STATUS_PENDING} when
   * the driver pended it, else the dispatch routine's status) and whose status is {@code
   * STATUS_PENDING} until the driver completes it. {@code completion}, if given, runs once it does
   * (the user APC) — only when NT would: not for an error completed without pending, and not for a
   * call refused before a request was sent (bad handle, no read access, a negative length, or
   * {@code STATUS_PROCESS_IS_TERMINATING} once the calling process's rundown has begun), whose
   * status the request holds at once.
   */
  public IoRequest ntReadFileAsync(KThread thread, Handle handle, int length, long byteOffset,
      IoRequest.IoCompletion completion) {
    if (length < 0) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_READ, thread.process(),
          NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_READ,
        AccessMask.FILE_READ_DATA, null, length, byteOffset), completion);
  }

  /**
   * {@code NtWriteFile} as an overlapped call; see {@link #ntReadFileAsync}. A null {@code data}
   * is a NULL buffer of length 0, as for {@link #ntWriteFile}.
   */
  public IoRequest ntWriteFileAsync(KThread thread, Handle handle, byte[] data, long byteOffset,
      IoRequest.IoCompletion completion) {
    byte[] bytes = data == null ? NO_BYTES : data;
    return calls.start(thread, handle, Transfer.of(MajorFunctions.IRP_MJ_WRITE,
        AccessMask.FILE_WRITE_DATA, bytes, bytes.length, byteOffset), completion);
  }

  /**
   * {@code NtDeviceIoControlFile} as an overlapped call; see {@link #ntReadFileAsync}. The
   * handle must have been granted the access the control code's {@code RequiredAccess} bits
   * name ({@code STATUS_ACCESS_DENIED} otherwise).
   */
  public IoRequest ntDeviceIoControlFileAsync(KThread thread, Handle handle, int ioControlCode,
      byte[] input, int outputLength, IoRequest.IoCompletion completion) {
    if (outputLength < 0) {
      return IoRequest.refused(MajorFunctions.IRP_MJ_DEVICE_CONTROL, thread.process(),
          NtStatus.STATUS_INVALID_PARAMETER);
    }
    return calls.start(thread, handle, Transfer.control(MajorFunctions.IRP_MJ_DEVICE_CONTROL,
        requiredAccess(ioControlCode), input == null ? NO_BYTES : input, ioControlCode,
        outputLength), completion);
  }

  /** The access a control code's {@code RequiredAccess} bits ask of the handle. */
  private static int requiredAccess(int ioControlCode) {
    return switch (IoControlCodes.requiredAccess(ioControlCode)) {
      case IoControlCodes.FILE_READ_ACCESS -> AccessMask.FILE_READ_DATA;
      case IoControlCodes.FILE_WRITE_ACCESS -> AccessMask.FILE_WRITE_DATA;
      case IoControlCodes.FILE_READ_ACCESS | IoControlCodes.FILE_WRITE_ACCESS ->
          AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA;
      default -> 0;
    };
  }

  // Cancelling ------------------------------------------------------------------------------------

  /**
   * {@code NtCancelIoFile}: cancels every outstanding request the calling process made on the
   * handle's file object and waits (bounded) until they are completed. Models {@code
   * NtCancelIoFile} (partial: ntio's client threads are their process, so "the calling thread's
   * requests" are the process's).
   *
   * @return {@code STATUS_SUCCESS}, or the handle's status
   */
  public NtStatus ntCancelIoFile(KThread thread, Handle handle) {
    return outstanding.ntCancelIoFile(thread, handle);
  }

  /**
   * {@code NtCancelIoFileEx}: cancels one request the process made on the handle's file object,
   * or all of them when {@code request} is null, and waits (bounded) until they are completed.
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_NOT_FOUND} when no such request is outstanding;
   *     or the handle's status
   */
  public NtStatus ntCancelIoFileEx(KThread thread, Handle handle, IoRequest request) {
    return outstanding.ntCancelIoFileEx(thread, handle, request);
  }

  /**
   * Requests that were cancelled and not completed within the wait: what the verifier reports as
   * a driver never completing a cancelled request. A snapshot.
   */
  public List<IoRequest> abandoned() {
    return outstanding.abandoned();
  }

  /** The process's outstanding client requests: a snapshot. */
  public List<IoRequest> outstandingOf(KProcess process) {
    return outstanding.outstandingOf(process);
  }
}
