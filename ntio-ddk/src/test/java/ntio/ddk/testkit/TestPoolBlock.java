package ntio.ddk.testkit;

import ntio.ddk.AbstractPoolBlock;
import ntio.ddk.PoolType;

/** A block of a {@link TestKernel}'s pool: Java memory with an address, a tag and a freed mark. Models pool memory (partial: no guard pages). */
final class TestPoolBlock extends AbstractPoolBlock {

  private final byte[] bytes;
  private volatile boolean freed;

  TestPoolBlock(long address, int size, int tag, PoolType type) {
    super(address, size, tag, type);
    this.bytes = new byte[size];
  }

  /** Marks it freed; false if it was freed already. */
  synchronized boolean markFreed() {
    if (freed) {
      return false;
    }
    freed = true;
    return true;
  }

  @Override
  public boolean isFreed() {
    return freed;
  }

  @Override
  public synchronized byte getByte(long offset) {
    return bytes[index(offset, 1)];
  }

  @Override
  public synchronized void putByte(long offset, byte value) {
    bytes[index(offset, 1)] = value;
  }

  @Override
  public synchronized int getInt(long offset) {
    int at = index(offset, 4);
    return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | (bytes[at + 3] & 0xFF) << 24;
  }

  @Override
  public synchronized void putInt(long offset, int value) {
    int at = index(offset, 4);
    for (int i = 0; i < 4; i++) {
      bytes[at + i] = (byte) (value >>> (8 * i));
    }
  }

  @Override
  public synchronized long getLong(long offset) {
    return Integer.toUnsignedLong(getInt(offset)) | (long) getInt(offset + 4) << 32;
  }

  @Override
  public synchronized void putLong(long offset, long value) {
    putInt(offset, (int) value);
    putInt(offset + 4, (int) (value >>> 32));
  }

  @Override
  public synchronized void read(long offset, byte[] destination) {
    System.arraycopy(bytes, index(offset, destination.length), destination, 0, destination.length);
  }

  @Override
  public synchronized void write(long offset, byte[] source) {
    System.arraycopy(source, 0, bytes, index(offset, source.length), source.length);
  }

  @Override
  public synchronized void fill(byte value) {
    java.util.Arrays.fill(bytes, value);
  }

  /** The index of {@code length} bytes at {@code offset}; a touch of a freed block or outside it is refused. */
  private int index(long offset, int length) {
    if (freed) {
      throw new IllegalStateException("pool block at 0x" + Long.toHexString(address()) + " used after free");
    }
    if (offset < 0 || offset + length > bytes.length) {
      throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " in a block of " + bytes.length);
    }
    return (int) offset;
  }
}
