package ntio.ddk;

/**
 * Which pool an allocation comes from: {@code POOL_TYPE}.
 *
 * <p>ntio keeps every allocation in Java heap memory, so "paged" only decides which limit and which
 * quota an allocation is charged to and how it is reported; nothing is ever paged out.
 */
public enum PoolType {
  /** {@code NonPagedPool}: always resident. */
  NON_PAGED(0, false),

  /** {@code PagedPool}: may be paged out; only usable at IRQL below DISPATCH_LEVEL. */
  PAGED(1, true),

  /**
   * {@code NonPagedPoolNx}: non-paged pool whose pages are not executable. It draws from the same
   * non-paged pool, limit and quota as {@link #NON_PAGED}, but is counted on its own in usage.
   */
  NON_PAGED_NX(512, false);

  private final int ntValue;
  private final boolean paged;

  PoolType(int ntValue, boolean paged) {
    this.ntValue = ntValue;
    this.paged = paged;
  }

  /** The value NT gives this type in {@code POOL_TYPE}. Models {@code POOL_TYPE} (full). */
  public int ntValue() {
    return ntValue;
  }

  /**
   * Whether allocations of this type are charged to the paged pool (else to the non-paged).
   *
   * <p>Models {@code BASE_POOL_TYPE_MASK} (full).
   */
  public boolean isPaged() {
    return paged;
  }
}
