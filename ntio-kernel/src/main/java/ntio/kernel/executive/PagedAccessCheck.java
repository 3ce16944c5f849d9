package ntio.kernel.executive;

/**
 * What a touch of a pageable pool block is checked against: whether its page could be out at the
 * toucher's IRQL. Installed on a block with {@link PoolAllocation#checkPagedAccess} by whoever
 * makes pageable memory invalid when the IRQL rises (the verifier's Force IRQL checking, DV9); the
 * executive itself knows no IRQL.
 */
@FunctionalInterface
public interface PagedAccessCheck {

  /**
   * Called before each read or write of {@code block} that lies inside it and is not after its
   * free; raises the bug check of a page fault at too high an IRQL, or returns to let it go on.
   *
   * @param address the first byte touched
   * @param write whether it is a write
   */
  void touched(PoolAllocation block, long address, boolean write);
}
