package ntio.kernel.executive;

/** How a wait on several objects is satisfied: {@code WAIT_TYPE}. */
public enum WaitType {
  /** {@code WaitAll}: every object must be signalled at the same moment; all are taken at once. */
  ALL,

  /** {@code WaitAny}: the first signalled object (lowest index) satisfies the wait. */
  ANY
}
