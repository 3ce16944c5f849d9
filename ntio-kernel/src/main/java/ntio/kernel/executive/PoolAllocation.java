package ntio.kernel.executive;

import ntio.ddk.PoolTag;
import ntio.ddk.AbstractPoolBlock;
import ntio.ddk.PoolType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One block of pool memory: what {@code ExAllocatePoolWithTag} returns a pointer to.
 *
 * <p>The block has a kernel address that is fake but unique for the life of its pool (addresses are
 * never reused, so a stale one always means a stale allocation), a size, a tag, a type and an
 * owner. Its bytes are reached through this handle only, and every access is checked: touching the
 * block after it was freed, or outside its bounds, raises bug check {@code
 * PAGE_FAULT_IN_NONPAGED_AREA} (0x50) through the kernel's {@link BugChecks}, which throws {@link
 * BugCheckException} to unwind the caller. Multi-byte values are little-endian, as on x64.
 *
 * <p>The 0x50 parameters are: 1 the address touched, 2 {@code 0} for a read or {@code 1} for a
 * write, 3 {@code 0} (the faulting instruction's address is unknown), 4 the fault type: {@code 0x0}
 * ({@code NONPAGED_BUGCHECK_FREED_PTE}) after free, {@code 0x2} ({@code
 * NONPAGED_BUGCHECK_NOT_PRESENT_PAGE_TABLE}) out of bounds. The bug check names the block's owner
 * as the driver. A pageable block may also have its touches checked against the toucher's IRQL
 * ({@link #checkPagedAccess}, the verifier's Force IRQL checking).
 *
 * @implNote Parameter 2 follows the encoding Microsoft documents for x64 before Windows 10 1507
 *     (and for ARM): 0 read, 1 write. A real overrun of ordinary pool often goes unnoticed until a
 *     later pool header check ({@code BAD_POOL_HEADER}); only special pool catches it at once
 *     ({@code 0xD6}). ntio catches every overrun at once, as 0x50. An access that overlaps a free
 *     on another thread is ordered before the free (it was checked first); an access that starts
 *     after the free returned always faults.
 *     <p>Thread-safe: any thread may access the block, but concurrent writes to the same bytes race
 *     as they do in NT.
 */
public final class PoolAllocation extends AbstractPoolBlock {

  /** Parameter 4 of 0x50 for a freed block. */
  static final long FAULT_FREED = 0x0;

  /** Parameter 4 of 0x50 for an address outside any block. */
  static final long FAULT_NOT_PRESENT = 0x2;

  private static final VarHandle DATA;
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    try {
      DATA = MethodHandles.lookup().findVarHandle(PoolAllocation.class, "data", byte[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Pool pool;
  private final PoolOwner owner;
  private final QuotaBlock quota;
  private final Throwable allocationStack;
  private final String callingSite;
  final UsageCounters tagCounters;
  final UsageCounters ownerCounters;

  /**
   * The block's bytes while it is allocated; null once freed. Goes from non-null to null exactly
   * once, by compareAndSet in {@link #markFreed()}, which is what makes a double free detectable.
   */
  @SuppressWarnings("UnusedVariable") // read and written through DATA only
  private volatile byte[] data;

  /** Checks each touch of a pageable block (DV9), or null: set at most once, before the driver sees it. */
  private volatile PagedAccessCheck pagedAccessCheck;

  PoolAllocation(
      Pool pool,
      long address,
      byte[] data,
      int tag,
      PoolType type,
      PoolOwner owner,
      QuotaBlock quota,
      Throwable allocationStack,
      String callingSite,
      UsageCounters tagCounters,
      UsageCounters ownerCounters) {
    super(address, data.length, tag, type);
    this.pool = pool;
    this.data = data;
    this.owner = owner;
    this.quota = quota;
    this.allocationStack = allocationStack;
    this.callingSite = callingSite;
    this.tagCounters = tagCounters;
    this.ownerCounters = ownerCounters;
  }

  /** Who the block is charged to. Models the verifier's tracked caller of the block (partial). */
  public PoolOwner owner() {
    return owner;
  }

  /**
   * The quota block charged for it, if it was allocated with quota.
   *
   * <p>Models {@code POOL_HEADER.ProcessBilled} (full).
   */
  public Optional<QuotaBlock> quota() {
    return Optional.ofNullable(quota);
  }

  /**
   * The Java stack that allocated the block, if it was recorded: the verifier's pool tracking for
   * the allocating image, or the pool tracking every stack at the time (see {@link
   * Pool#setTrackStacks}).
   *
   * <p>Models the stack trace Driver Verifier's pool tracking keeps (partial: Java frames).
   */
  public Optional<String> allocationStack() {
    if (allocationStack == null) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    for (StackTraceElement frame : allocationStack.getStackTrace()) {
      text.append("\tat ").append(frame).append('\n');
    }
    return Optional.of(text.toString());
  }

  /**
   * The frame that allocated the block, as a stack trace prints it: the site the caller named
   * (a verified image's thunked call), else the driver's own frame in the recorded stack (see
   * {@link CallingSite}); empty if neither was recorded.
   *
   * <p>Models the {@code CallingAddress} of Driver Verifier's pool tracking (full: a Java frame
   * instead of a return address).
   *
   * @implNote A recorded stack keeps the classes on it reachable while the block lives, as a
   *     {@link Throwable} does; a verified image's leaked block is a bug check at its unmap, so no
   *     record outlives an image that was left running.
   */
  public Optional<String> allocationSite() {
    if (callingSite != null) {
      return Optional.of(callingSite);
    }
    return allocationStack == null
        ? Optional.empty()
        : CallingSite.in(allocationStack.getStackTrace()).map(StackTraceElement::toString);
  }

  /**
   * Has every later read and write of this pageable block checked by {@code check} first, as
   * the verifier's Force IRQL checking makes a driver's pageable memory fault at DISPATCH_LEVEL
   * (DV9). Called by the allocator before the block is handed out.
   *
   * @throws IllegalStateException if the block is not of a paged type, or already has a check
   */
  public void checkPagedAccess(PagedAccessCheck check) {
    if (!type().isPaged() || pagedAccessCheck != null) {
      throw new IllegalStateException("no paged access check can be set on " + this);
    }
    pagedAccessCheck = java.util.Objects.requireNonNull(check, "check");
  }

  /** Whether the block has been freed. Models a free {@code POOL_HEADER} (PoolType 0) (full). */
  @Override
  public boolean isFreed() {
    return DATA.getVolatile(this) == null;
  }

  /**
   * Reads one byte.
   *
   * <p>Models a load from pool memory (full, with the 0x50 checks described on the class).
   */
  @Override
  public byte getByte(long offset) {
    return access(offset, 1, false)[(int) offset];
  }

  /**
   * Writes one byte.
   *
   * <p>Models a store to pool memory (full, with the 0x50 checks described on the class).
   */
  @Override
  public void putByte(long offset, byte value) {
    access(offset, 1, true)[(int) offset] = value;
  }

  /**
   * Reads a little-endian 32-bit value; {@code offset} need not be aligned.
   *
   * <p>Models a load from pool memory (full, with the 0x50 checks described on the class).
   */
  @Override
  public int getInt(long offset) {
    return (int) INTS.get(access(offset, Integer.BYTES, false), (int) offset);
  }

  /**
   * Writes a little-endian 32-bit value; {@code offset} need not be aligned.
   *
   * <p>Models a store to pool memory (full, with the 0x50 checks described on the class).
   */
  @Override
  public void putInt(long offset, int value) {
    INTS.set(access(offset, Integer.BYTES, true), (int) offset, value);
  }

  /**
   * Reads a little-endian 64-bit value; {@code offset} need not be aligned.
   *
   * <p>Models a load from pool memory (full, with the 0x50 checks described on the class).
   */
  @Override
  public long getLong(long offset) {
    return (long) LONGS.get(access(offset, Long.BYTES, false), (int) offset);
  }

  /**
   * Writes a little-endian 64-bit value; {@code offset} need not be aligned.
   *
   * <p>Models a store to pool memory (full, with the 0x50 checks described on the class).
   */
  @Override
  public void putLong(long offset, long value) {
    LONGS.set(access(offset, Long.BYTES, true), (int) offset, value);
  }

  /**
   * Copies {@code destination.length} bytes from {@code offset} into {@code destination}.
   *
   * <p>Models {@code RtlCopyMemory} from pool memory (full, with the 0x50 checks).
   */
  @Override
  public void read(long offset, byte[] destination) {
    read(offset, destination, 0, destination.length);
  }

  /**
   * Copies {@code length} bytes from {@code offset} into {@code destination} at {@code from}.
   *
   * <p>Models {@code RtlCopyMemory} from pool memory (full, with the 0x50 checks).
   *
   * @throws IndexOutOfBoundsException if {@code from} and {@code length} do not fit {@code
   *     destination} (the caller's own array, not pool memory)
   */
  public void read(long offset, byte[] destination, int from, int length) {
    Objects.checkFromIndexSize(from, length, destination.length);
    System.arraycopy(access(offset, length, false), (int) offset, destination, from, length);
  }

  /**
   * Copies all of {@code source} into the block at {@code offset}.
   *
   * <p>Models {@code RtlCopyMemory} into pool memory (full, with the 0x50 checks).
   */
  @Override
  public void write(long offset, byte[] source) {
    write(offset, source, 0, source.length);
  }

  /**
   * Copies {@code length} bytes of {@code source} from {@code from} into the block at {@code
   * offset}.
   *
   * <p>Models {@code RtlCopyMemory} into pool memory (full, with the 0x50 checks).
   *
   * @throws IndexOutOfBoundsException if {@code from} and {@code length} do not fit {@code source}
   */
  public void write(long offset, byte[] source, int from, int length) {
    Objects.checkFromIndexSize(from, length, source.length);
    System.arraycopy(source, from, access(offset, length, true), (int) offset, length);
  }

  /**
   * Sets every byte of the block to {@code value}.
   *
   * <p>Models {@code RtlFillMemory} over the whole block (full, with the 0x50 checks).
   */
  @Override
  public void fill(byte value) {
    fill(0, size(), value);
  }

  /**
   * Sets {@code length} bytes from {@code offset} to {@code value}.
   *
   * <p>Models {@code RtlFillMemory} (full, with the 0x50 checks).
   */
  public void fill(long offset, long length, byte value) {
    byte[] bytes = access(offset, length, true);
    Arrays.fill(bytes, (int) offset, (int) (offset + length), value);
  }

  /**
   * The block's bytes if {@code [offset, offset + length)} lies inside it and it is not freed;
   * otherwise raises 0x50 (and so never returns).
   */
  private byte[] access(long offset, long length, boolean write) {
    byte[] bytes = (byte[]) DATA.getVolatile(this);
    if (bytes == null) {
      throw fault(address() + offset, write, FAULT_FREED, "freed pool");
    }
    if (length < 0) {
      throw new IllegalArgumentException("negative access length " + length);
    }
    if (offset < 0 || length > size() - offset) {
      long touched = offset < 0 ? address() + offset : address() + Math.max(offset, size());
      throw fault(touched, write, FAULT_NOT_PRESENT, "memory outside the block");
    }
    PagedAccessCheck check = pagedAccessCheck;
    if (check != null) {
      check.touched(this, address() + offset, write);
    }
    return bytes;
  }

  private BugCheckException fault(long touched, boolean write, long faultType, String what) {
    return pool.bugChecks()
        .raise(
            BugCheck.PAGE_FAULT_IN_NONPAGED_AREA,
            touched,
            write ? 1 : 0,
            0,
            faultType,
            owner.name(),
            (write ? "write to " : "read of ")
                + what
                + " at "
                + BugCheck.hex(touched)
                + " ("
                + this
                + ")");
  }

  /** Frees the block's bytes; false if it was already freed (by this or another thread). */
  boolean markFreed() {
    byte[] bytes = (byte[]) DATA.getVolatile(this);
    return bytes != null && DATA.compareAndSet(this, bytes, null);
  }

  Pool pool() {
    return pool;
  }

  /**
   * What the first eight bytes of this block's {@code POOL_HEADER} would hold, as bug check
   * parameters show it: the tag in the high 32 bits; in the low 32 bits, the block size in 16-byte
   * units (header included, saturated at 0xFF) in bits 16-23 and the base pool type plus one
   * ({@code NonPagedPool} 1, {@code PagedPool} 2) in bits 24-31 while the block is allocated, 0
   * once it is freed, as NT marks free blocks.
   *
   * <p>Models reading {@code POOL_HEADER} for a bug check's parameters (partial: no previous size
   * or pool index).
   */
  public long headerContents() {
    long blocks = Math.min(0xFF, (size() + 2 * Pool.GRANULARITY - 1) / Pool.GRANULARITY);
    long poolType = isFreed() ? 0 : (type().isPaged() ? 2 : 1);
    return (Integer.toUnsignedLong(tag()) << 32) | (poolType << 24) | (blocks << 16);
  }

  @Override
  public String toString() {
    return "pool block "
        + BugCheck.hex(address())
        + ", "
        + size()
        + " bytes, tag "
        + PoolTag.describe(tag())
        + ", "
        + type()
        + ", owner "
        + owner.name()
        + (isFreed() ? ", freed" : "");
  }
}
