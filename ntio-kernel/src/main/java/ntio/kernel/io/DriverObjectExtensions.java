package ntio.kernel.io;

import java.util.function.Supplier;
import ntio.ddk.NtStatus;

/**
 * Driver object extensions ({@code IoAllocateDriverObjectExtension}, {@code
 * IoGetDriverObjectExtension}) filed by client id. NT's ClientIdentificationAddress is any
 * address, NULL included (Wine driver.c test_driver_object_extension allocates and finds one with
 * NULL), so a null id is a key of its own.
 */
final class DriverObjectExtensions {

  /** The key of the client id NULL: an immutable marker no driver can name. */
  private static final Object NULL_CLIENT_ID = new Object();

  private DriverObjectExtensions() {
  }

  /** {@code IoAllocateDriverObjectExtension} on the caller's own driver object. */
  static NtStatus allocate(KernelDriverObject own, Object clientId, Supplier<?> extension) {
    return own.allocateClientExtension(clientKey(clientId), extension);
  }

  /** {@code IoGetDriverObjectExtension}: null for no such extension, or no driver object. */
  static Object get(Object owner, Object clientId) {
    return owner instanceof KernelDriverObject d ? d.clientExtension(clientKey(clientId)) : null;
  }

  private static Object clientKey(Object clientId) {
    return clientId == null ? NULL_CLIENT_ID : clientId;
  }
}
