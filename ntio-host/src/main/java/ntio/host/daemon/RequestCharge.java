package ntio.host.daemon;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.kernel.ProcessQuota;

/**
 * What one client request holds from its arrival until its final answer leaves the outbound queue
 * to be written (or is dropped with it): a
 * place among the connection's requests in flight, and its bytes charged to the process's
 * non-paged pool quota, as NT charges an IRP and its system buffer to the requestor ({@code
 * IoAllocateIrp} with quota, {@code ExAllocatePoolWithQuotaTag} for a buffered transfer). The bytes
 * are the request's payload and the output it asks the kernel to allocate (a read's length, a
 * device control's output buffer), so that a request is refused before the kernel allocates.
 *
 * <p>Thread-safe; {@link #release()} returns the charge once, whoever calls it and however often.
 */
final class RequestCharge {

  private final NtStatus status;
  private final String refusal;
  private final ProcessQuota quota;
  private final AtomicInteger inFlight;
  private final long bytes;
  private final AtomicBoolean released = new AtomicBoolean();

  private RequestCharge(NtStatus status, String refusal, ProcessQuota quota, AtomicInteger inFlight, long bytes) {
    this.status = status;
    this.refusal = refusal;
    this.quota = quota;
    this.inFlight = inFlight;
    this.bytes = bytes;
  }

  /**
   * Charges one request of {@code bytes} to a process's {@code quota}, whose connection counts its requests
   * in flight in {@code inFlight}.
   *
   * @return a charge whose {@link #status()} is {@code STATUS_SUCCESS} (release it later), or
   *     {@code STATUS_QUOTA_EXCEEDED} with nothing charged: {@code maxInFlight} requests are in
   *     flight already, or the bytes do not fit in the process's non-paged pool quota
   */
  static RequestCharge take(ProcessQuota quota, AtomicInteger inFlight, int maxInFlight, long bytes) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return refused("more than " + maxInFlight + " requests in flight");
    }
    if (!quota.charge(PoolType.NON_PAGED, bytes).isSuccess()) {
      inFlight.decrementAndGet();
      return refused("a request of " + bytes + " bytes exceeds the process's non-paged pool quota ("
          + quota.usage(PoolType.NON_PAGED) + " of " + quota.limit(PoolType.NON_PAGED) + " bytes charged)");
    }
    return new RequestCharge(NtStatus.STATUS_SUCCESS, "", quota, inFlight, bytes);
  }

  private static RequestCharge refused(String why) {
    RequestCharge refused = new RequestCharge(NtStatus.STATUS_QUOTA_EXCEEDED, why, null, null, 0);
    refused.released.set(true);
    return refused;
  }

  /** {@code STATUS_SUCCESS} when charged, else {@code STATUS_QUOTA_EXCEEDED}. */
  NtStatus status() {
    return status;
  }

  /** Why it was refused, for the ERROR frame; empty when charged. */
  String refusal() {
    return refusal;
  }

  /** The bytes charged: the request's payload and the output it asked for; 0 if refused. */
  long bytes() {
    return bytes;
  }

  /** Returns the charge; the first call does, later ones do nothing. */
  void release() {
    if (released.compareAndSet(false, true)) {
      quota.release(PoolType.NON_PAGED, bytes);
      inFlight.decrementAndGet();
    }
  }
}
