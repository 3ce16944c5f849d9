package ntio.kernel.io;

import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.FileObject;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.ParseProcedure;
import ntio.kernel.security.AccessCheck;
import ntio.kernel.security.AccessCheckResult;

/**
 * Opening and closing devices: the Device type's parse procedure ({@code IopParseDevice}, B36 and
 * B37), the File type's parse procedure for opens relative to a file ({@code IopParseFile}), and
 * the File type's close and delete procedures ({@code IopCloseFile},
 * {@code IopDeleteFile}, B39).
 */
final class Opens {

  /** The accesses of a direct device open: no create is needed to satisfy them (B37). */
  private static final int DIRECT_OPEN_ACCESS = AccessMask.SYNCHRONIZE | AccessMask.FILE_READ_ATTRIBUTES
      | AccessMask.READ_CONTROL | AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.WRITE_OWNER
      | AccessMask.WRITE_DAC;

  private final IoManager io;

  Opens(IoManager io) {
    this.io = io;
  }

  /**
   * The Device type's parse procedure. Checks the device and its driver (B36), counts the open,
   * checks access, makes a file object and sends IRP_MJ_CREATE to the top of the stack (B37); any
   * failure after the count undoes it, which can itself finish a deferred unload. The remaining
   * name keeps its leading {@code \\}: it becomes FileObject->FileName as it is, and a lone
   * {@code \\} (a trailing separator after the device's name) is a name, not a direct open.
   */
  ParseProcedure.Result parseDevice(ParseProcedure.Request request) {
    if (!(request.context() instanceof OpenPacket packet)) {
      // Not an open: a lookup for another type reached a device (ObReferenceObjectByName with
      // IoFileObjectType, say). NT fails it the same way.
      return ParseProcedure.Result.failure(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    }
    return open(request, packet, (KernelDeviceObject) request.parseObject(), null);
  }

  /**
   * The File type's parse procedure ({@code IopParseFile}): an open whose {@code RootDirectory}
   * is a handle to an open file. It is a real open of that file's device, with the root as the new
   * file object's RelatedFileObject and the whole relative name as its FileName: the device and
   * driver checks apply (a device being deleted or unloaded, or still initializing, gives
   * STATUS_NO_SUCH_DEVICE), the exclusive-device check and the device's access check do not (NT's
   * IopCheckDeviceAndDriver and IopParseDevice skip both when there is a related file object),
   * and IRP_MJ_CREATE goes to the top of the stack.
   */
  ParseProcedure.Result parseFile(ParseProcedure.Request request) {
    if (!(request.context() instanceof OpenPacket packet)) {
      return ParseProcedure.Result.failure(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    }
    KernelFileObject related = (KernelFileObject) request.parseObject();
    return open(request, packet, related.device(), related);
  }

  private ParseProcedure.Result open(ParseProcedure.Request request, OpenPacket packet,
      KernelDeviceObject device, KernelFileObject related) {
    // IopCheckDeviceAndDriver (B36); an open relative to a file of the device passes the exclusive
    // check, as the attach open does. On success the device's ReferenceCount was raised.
    NtStatus check = io.unloadPolicy.referenceForOpen(device, packet.attachOpen() || related != null);
    if (!check.isSuccess()) {
      return ParseProcedure.Result.failure(check);
    }
    AccessCheckResult access = device.securityDescriptor() == null || related != null
        ? new AccessCheckResult(NtStatus.STATUS_SUCCESS, IoObjectTypes.FILE_MAPPING.map(request.desiredAccess()))
        : AccessCheck.accessCheck(device.securityDescriptor(), request.caller().token(),
            request.desiredAccess(), IoObjectTypes.FILE_MAPPING, request.caller().previousMode(), false);
    if (!access.status().isSuccess()) {
      io.unloadPolicy.releaseReference(device, "failed open");
      return ParseProcedure.Result.failure(NtStatus.STATUS_ACCESS_DENIED);
    }
    int granted = access.grantedAccess();
    boolean direct = related == null && request.remainingName().isEmpty()
        && (granted & ~DIRECT_OPEN_ACCESS) == 0;
    KernelFileObject file = new KernelFileObject(io.fileType, device, request.remainingName(),
        (direct ? FileObject.FO_DIRECT_DEVICE_OPEN : 0) | synchronousFlags(packet.createOptions()),
        granted, related);
    // From here on the file object owns the device's count: its delete gives it back.
    // The create sees the desired access with generic rights mapped, as SecurityContext has it.
    NtStatus created = io.requests.create(file, IoObjectTypes.FILE_MAPPING.map(request.desiredAccess()),
        packet, request.caller().previousMode());
    if (!created.isSuccess()) {
      file.dereference();
      return ParseProcedure.Result.failure(created);
    }
    file.markCreated();
    return ParseProcedure.Result.found(created, file, granted);
  }

  /**
   * The file object's {@code FO_SYNCHRONOUS_IO} / {@code FO_ALERTABLE_IO}, from the create
   * options, as NT's IopParseDevice sets them.
   */
  static int synchronousFlags(int createOptions) {
    if ((createOptions & CreateOptions.FILE_SYNCHRONOUS_IO_ALERT) != 0) {
      return FileObject.FO_SYNCHRONOUS_IO | FileObject.FO_ALERTABLE_IO;
    }
    return (createOptions & CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT) != 0 ? FileObject.FO_SYNCHRONOUS_IO : 0;
  }

  /** The File type's close procedure: the last handle sends IRP_MJ_CLEANUP. */
  void closeFile(KernelFileObject file, long handlesLeft) {
    if (handlesLeft == 0 && file.takeCleanup()) {
      io.requests.sendCleanupOrClose(file, MajorFunctions.IRP_MJ_CLEANUP);
    }
  }

  /**
   * The File type's delete procedure ({@code IopDeleteFile}, B39): a file that never had a handle
   * is cleaned up first; then IRP_MJ_CLOSE goes down, and the device's count is given back — the
   * moment that can finish a deferred unload or delete (B20, B26).
   */
  void deleteFile(KernelFileObject file) {
    if (file.isCreated()) {
      if (file.takeCleanup()) {
        io.requests.sendCleanupOrClose(file, MajorFunctions.IRP_MJ_CLEANUP);
      }
      io.requests.sendCleanupOrClose(file, MajorFunctions.IRP_MJ_CLOSE);
    }
    io.unloadPolicy.releaseReference(file.device(), "last close");
  }
}
