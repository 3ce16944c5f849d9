package ntio.ddk;

/**
 * A block of pool memory. Models the memory {@code ExAllocatePoolWithTag} returns (full): a
 * handle over its bytes with a kernel address, a size and a tag. Any access after the block was
 * freed, or outside it, is detected and bug-checks the kernel — never silently allowed.
 */
public interface PoolBlock {

  /** The block's kernel address, as reports show it. */
  long address();

  /** The size asked for, in bytes. */
  long size();

  /** The four-character tag, packed as NT packs it. */
  int tag();

  /** The pool it came from. */
  PoolType type();

  /** Whether it has been freed. */
  boolean isFreed();

  byte getByte(long offset);

  void putByte(long offset, byte value);

  int getInt(long offset);

  void putInt(long offset, int value);

  long getLong(long offset);

  void putLong(long offset, long value);

  /** Copies {@code destination.length} bytes from {@code offset}. */
  void read(long offset, byte[] destination);

  /** Copies {@code source} to {@code offset}. */
  void write(long offset, byte[] source);

  /** Sets every byte to {@code value}. */
  void fill(byte value);
}
