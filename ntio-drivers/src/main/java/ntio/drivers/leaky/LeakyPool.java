package ntio.drivers.leaky;

import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;

/** What the Leaky driver leaks, for tests that expect the verifier to report it. */
public final class LeakyPool {

  private LeakyPool() {}

  /** The pool the block comes from: non-paged. */
  public static final PoolType TYPE = PoolType.NON_PAGED;

  /** The block's size in bytes. */
  public static final int SIZE = 64;

  /** The block's tag, {@code 'Leak'} ({@code 0x6B61654C}). */
  public static final int TAG = PoolTag.of("Leak");
}
