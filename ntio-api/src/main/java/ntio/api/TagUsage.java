package ntio.api;

import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
/**
 * Pool usage of one tag in one pool type, as poolmon shows it. Each counter is exact; counters read
 * while allocations go on need not be from the same instant.
 *
 * @param tag the packed tag
 * @param type the pool type
 * @param allocations allocations made with this tag
 * @param frees of those, how many were freed
 * @param outstanding allocated and not freed
 * @param outstandingBytes bytes allocated and not freed (requested sizes)
 */
public record TagUsage(
    int tag, PoolType type, long allocations, long frees, long outstanding, long outstandingBytes) {

  /** The tag's four characters. Models poolmon's Tag column (full). */
  public String tagString() {
    return PoolTag.toString(tag);
  }
}
