package ntio.ddk;

/**
 * What every pool block records of itself, written once: the kernel address, the size asked
 * for, the tag and the pool type ({@code POOL_HEADER}'s fields, and the pointer {@code
 * ExAllocatePoolWithTag} returns). The kernel's pool blocks and the DDK test kit's extend it; how
 * the bytes are kept and checked is theirs.
 */
public abstract class AbstractPoolBlock implements PoolBlock {

  private final long address;
  private final long size;
  private final int tag;
  private final PoolType type;

  protected AbstractPoolBlock(long address, long size, int tag, PoolType type) {
    this.address = address;
    this.size = size;
    this.tag = tag;
    this.type = type;
  }

  /**
   * The block's kernel address: 16-byte aligned, unique within its pool.
   *
   * <p>Models the pointer {@code ExAllocatePoolWithTag} returns (partial: fake, never reused).
   */
  @Override
  public final long address() {
    return address;
  }

  /** The size requested, in bytes. Models the size {@code ExQueryPoolBlockSize} reports (full). */
  @Override
  public final long size() {
    return size;
  }

  /** The packed pool tag. Models {@code POOL_HEADER.PoolTag} (full). */
  @Override
  public final int tag() {
    return tag;
  }

  /** The pool type. Models {@code POOL_HEADER.PoolType} (full). */
  @Override
  public final PoolType type() {
    return type;
  }
}
