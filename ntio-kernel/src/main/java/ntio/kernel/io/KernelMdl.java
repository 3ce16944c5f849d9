package ntio.kernel.io;

import java.nio.ByteBuffer;
import ntio.ddk.Mdl;

/**
 * The caller's buffer of a direct-I/O request. Models {@code MDL} (partial: one contiguous
 * buffer). Immutable; every {@link #systemAddress()} is a fresh view of the same bytes.
 */
final class KernelMdl implements Mdl {

  private final byte[] buffer;
  private final int byteCount;
  private final boolean writable;

  /**
   * @param buffer the caller's buffer, not copied
   * @param writable whether the driver may write it (the request reads into it)
   */
  KernelMdl(byte[] buffer, int byteCount, boolean writable) {
    if (byteCount < 0 || byteCount > buffer.length) {
      throw new IllegalArgumentException("byte count " + byteCount + " of " + buffer.length);
    }
    this.buffer = buffer;
    this.byteCount = byteCount;
    this.writable = writable;
  }

  @Override
  public int byteCount() {
    return byteCount;
  }

  @Override
  public ByteBuffer systemAddress() {
    ByteBuffer view = ByteBuffer.wrap(buffer, 0, byteCount).slice();
    return writable ? view : view.asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "MDL[" + byteCount + " bytes" + (writable ? "" : ", read-only") + "]";
  }
}
