package ntio.ddk;

import java.nio.ByteBuffer;

/**
 * The caller's buffer of a direct-I/O request, locked for the request's life. Models {@code MDL}
 * (partial: one contiguous buffer, no page list or partial MDLs): what {@link Irp#mdlAddress()}
 * gives a device with {@link DeviceFlags#DO_DIRECT_IO}, and a device control whose method is
 * {@code METHOD_IN_DIRECT} or {@code METHOD_OUT_DIRECT}.
 */
public interface Mdl {

  /** The buffer's length in bytes. Models {@code MmGetMdlByteCount} (full). */
  int byteCount();

  /**
   * A view of the caller's buffer itself, not a copy: what the driver writes (for a read or an
   * {@code METHOD_OUT_DIRECT} control) is what the caller gets, with no copy by the I/O manager.
   * Position 0, limit {@link #byteCount()}; read-only when the request only reads the buffer (a
   * write, {@code METHOD_IN_DIRECT}). Models {@code MmGetSystemAddressForMdlSafe} (partial: never
   * fails).
   */
  ByteBuffer systemAddress();
}
