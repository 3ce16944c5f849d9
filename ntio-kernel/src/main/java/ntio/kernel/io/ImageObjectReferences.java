package ntio.kernel.io;

import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ObjectKind;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.objects.KernelObject;
import ntio.api.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.process.KThread;

/**
 * The references a driver takes and drops through its image's services (ReactOS ob/obref.c, and
 * io/iomgr/device.c's {@code IopGetDeviceObjectPointer}): by name, by a device's name through a
 * file object, and the dereference the kernel holds a driver to.
 *
 * <p>The calls' gates and argument checks are the caller's ({@link ImageImports}).
 */
final class ImageObjectReferences {

  private final IoManager io;
  private final KernelDriverObject driver;

  ImageObjectReferences(IoManager io, KernelDriverObject driver) {
    this.io = io;
    this.driver = driver;
  }

  /** {@code ObReferenceObjectByName}: a null kind takes an object of any type. */
  Referenced<KernelObject> referenceByName(UnicodeString name, ObjectKind kind, KThread thread) {
    ObjectType type = kind == null ? null : typeOf(kind);
    return io.objects.referenceByName(
        new ObjectAttributes(Handle.NULL, name, ObjectAttributes.OBJ_CASE_INSENSITIVE), type, 0, thread, null);
  }

  private ObjectType typeOf(ObjectKind kind) {
    return switch (kind) {
      case DRIVER -> io.driverType;
      case DEVICE -> io.deviceType;
      case FILE -> io.fileType;
      case DIRECTORY -> io.objects.directoryType();
      case SYMBOLIC_LINK -> io.objects.symbolicLinkType();
      case KEY -> io.registry.keyType();
      case EVENT -> {
        Referenced<ObjectType> event = io.objects.referenceByName("\\ObjectTypes\\Event", io.objects.typeType());
        if (!event.isSuccess()) {
          throw new IllegalStateException("no Event type: " + event.status());
        }
        event.object().dereference();
        yield event.object();
      }
    };
  }

  /**
   * {@code IoDeleteSymbolicLink}: the link itself (not its target) is made temporary, so that it
   * goes with its last reference.
   */
  ntio.ddk.NtStatus makeLinkTemporary(UnicodeString linkName, KThread thread) {
    Referenced<KernelObject> link = io.objects.referenceByName(
        new ObjectAttributes(Handle.NULL, linkName, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_OPENLINK),
        io.objects.symbolicLinkType(), 0, thread, null);
    if (!link.isSuccess()) {
      return link.status();
    }
    io.objects.makeTemporary(link.object());
    link.object().dereference();
    return ntio.ddk.NtStatus.STATUS_SUCCESS;
  }

  /**
   * {@code ObDereferenceObject}: a driver may drop only references it took. A dereference that
   * would take the pointer count below the references the object's own holders keep is bug check
   * REFERENCE_BY_POINTER (0x18) naming this driver, and the count is left as it was (the contract
   * is {@link ImageImports#dereferenceObject}'s).
   */
  void dereference(KernelObject target) {
    KernelObject.DriverDereference outcome = target.dereferenceByDriver();
    if (outcome.refused()) {
      throw io.bugChecks.raise(BugCheck.REFERENCE_BY_POINTER,
          System.identityHashCode(target.type()), System.identityHashCode(target),
          outcome.pointerCountBefore(), target.handleCount(), driver.serviceName(),
          driver.describe() + " dereferenced " + target.describe() + " with pointer count "
              + outcome.pointerCountBefore() + ", of which its holders require "
              + target.requiredReferences() + ": a reference it never took");
    }
  }

  /**
   * The file object of an open of the named device, as NT's {@code IopGetDeviceObjectPointer}:
   * opened through a kernel handle that is closed at once (the target sees its cleanup), so that
   * only the returned reference keeps the open. {@code attach} opens as {@code IoAttachDevice}
   * does (B31: with IO_ATTACH_DEVICE, which passes an exclusive device).
   */
  Referenced<KernelFileObject> referenceDeviceFile(UnicodeString name, int desiredAccess, boolean attach,
      KThread thread) {
    OpenResult opened = io.objects.openByName(
        new ObjectAttributes(Handle.NULL, name,
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE),
        io.fileType, desiredAccess, thread, new OpenPacket(0, 0, attach));
    if (!opened.status().isSuccess()) {
      return new Referenced<>(opened.status(), null, 0);
    }
    Referenced<KernelFileObject> file =
        io.objects.referenceByHandle(opened.handle(), 0, io.fileType, thread);
    io.objects.close(opened.handle(), thread);
    return file;
  }
}
