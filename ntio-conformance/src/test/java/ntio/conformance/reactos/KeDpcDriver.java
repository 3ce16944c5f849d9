package ntio.conformance.reactos;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.Irql;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelServices;

/**
 * The kernel half of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeDpc.c}, {@code
 * START_TEST(KeDpc)} and its {@code DpcHandler}: KeInitializeDpc, KeInsertQueueDpc and
 * KeRemoveQueueDpc from PASSIVE_LEVEL, from DISPATCH_LEVEL (a DPC queued there runs only once the
 * thread goes below DISPATCH_LEVEL, and a second insert of a queued DPC fails: coalescing) and
 * from HIGH_LEVEL.
 *
 * <p>Not ported: the {@code KDPC} fields ({@code Type}, {@code Importance}, {@code Number}, the
 * list entry, {@code DpcData}: no memory layout; {@code DpcData == NULL} is ported as "not
 * queued"), the PRCB's {@code DpcRoutineActive} and DPC list head, {@code KeInitializeDpc(NULL,
 * ...)}'s access violation (ntio's KeInitializeDpc returns the DPC object, so there is no caller's
 * pointer to be NULL), and the parameter check of a NULL deferred routine, which NT accepts and
 * ntio bug-checks at KeInitializeDpc (a divergence, see docs/conformance/reactos.md: ported, it
 * would halt the host before the other checks are read). The handler's {@code DeferredContext ==
 * Dpc} is ported as the routine being called with the DPC object that was queued.
 *
 * <p>Upstream's DpcCount checks expect NT's delivery: a DPC queued on the current processor runs on
 * it as soon as its IRQL drops below DISPATCH_LEVEL (at once when queued from PASSIVE_LEVEL), never
 * while it stays at DISPATCH_LEVEL or above. ntio runs DPCs on per-processor DPC worker threads,
 * concurrently with the thread that queued them, so those checks (and the coalescing and removal
 * ones, which need the DPC to stay queued) race with the worker; the JUnit half reports them as a
 * divergence.
 */
public final class KeDpcDriver extends KmtKeDriver {

  /** The suite the checks are recorded under. */
  static final String SUITE = "KeDpc";

  static final Long ARGUMENT_1 = 0xabc123L;
  static final Long ARGUMENT_2 = 0x5678L;

  /** Needed by the image loader. */
  public KeDpcDriver() {
    super(SUITE);
  }

  /** KeFlushQueuedDpcs: every DPC the body queued has run, and made its checks, before they are written. */
  @Override
  void drain(KernelServices services) {
    services.flushQueuedDpcs();
  }

  @Override
  void test(KernelServices services, KmtChecks ok) {
    AtomicInteger dpcCount = new AtomicInteger();
    AtomicReference<KernelDpc> queued = new AtomicReference<>();
    KernelDpc dpc = services.initializeDpc((running, argument1, argument2) -> {
      // DpcHandler
      okIrql(services, ok, "KeDpc/DpcHandler", Irql.DISPATCH_LEVEL);
      dpcCount.incrementAndGet();
      ok.same("KeDpc/DpcHandler: called with the DPC queued (DeferredContext == Dpc)", queued.get(), running);
      ok.eq("KeDpc/DpcHandler: SystemArgument1", ARGUMENT_1, argument1);
      ok.eq("KeDpc/DpcHandler: SystemArgument2", ARGUMENT_2, argument2);
    });
    queued.set(dpc);
    int expected = 0;
    ok.ok("KeDpc/KeInitializeDpc: not queued (DpcData == NULL)", !dpc.isQueued(), "queued");

    // "simply run the Dpc a few times"
    for (int i = 0; i < 5; i++) {
      String at = "KeDpc/run at PASSIVE_LEVEL #" + i;
      ok.eq(at + ": DpcCount before", expected, dpcCount.get());
      ok.ok(at + ": KeInsertQueueDpc returned TRUE", dpc.insertQueue(ARGUMENT_1, ARGUMENT_2), "FALSE");
      ++expected;
      ok.eq(at + ": DpcCount after", expected, dpcCount.get());
    }

    // "insert into queue at high irql -> should only run when lowered to APC_LEVEL, inserting a
    // second time should fail"
    Irql irql = services.raiseIrql(Irql.APC_LEVEL);
    for (int i = 0; i < 5; i++) {
      String at = "KeDpc/insert at DISPATCH_LEVEL #" + i;
      Irql irql2 = services.raiseIrql(Irql.DISPATCH_LEVEL);
      ok.eq(at + ": DpcCount at DISPATCH_LEVEL", expected, dpcCount.get());
      ok.ok(at + ": KeInsertQueueDpc returned TRUE", dpc.insertQueue(ARGUMENT_1, ARGUMENT_2), "FALSE");
      ok.ok(at + ": second KeInsertQueueDpc returned FALSE", !dpc.insertQueue(0xdefL, 0x123L), "TRUE");
      ok.eq(at + ": DpcCount once queued", expected, dpcCount.get());
      Irql irql3 = services.raiseIrql(Irql.HIGH_LEVEL);
      ok.eq(at + ": DpcCount at HIGH_LEVEL", expected, dpcCount.get());
      services.lowerIrql(irql3);
      ok.eq(at + ": DpcCount back at DISPATCH_LEVEL", expected, dpcCount.get());
      services.lowerIrql(irql2);
      ++expected;
      ok.eq(at + ": DpcCount lowered to APC_LEVEL", expected, dpcCount.get());
    }
    services.lowerIrql(irql);

    // "now test removing from the queue"
    irql = services.raiseIrql(Irql.APC_LEVEL);
    for (int i = 0; i < 5; i++) {
      String at = "KeDpc/remove at DISPATCH_LEVEL #" + i;
      Irql irql2 = services.raiseIrql(Irql.DISPATCH_LEVEL);
      ok.eq(at + ": DpcCount at DISPATCH_LEVEL", expected, dpcCount.get());
      ok.ok(at + ": KeRemoveQueueDpc of an unqueued DPC returned FALSE", !dpc.removeQueue(), "TRUE");
      ok.ok(at + ": KeInsertQueueDpc returned TRUE", dpc.insertQueue(ARGUMENT_1, ARGUMENT_2), "FALSE");
      ok.eq(at + ": DpcCount once queued", expected, dpcCount.get());
      Irql irql3 = services.raiseIrql(Irql.HIGH_LEVEL);
      ok.eq(at + ": DpcCount at HIGH_LEVEL", expected, dpcCount.get());
      services.lowerIrql(irql3);
      ok.eq(at + ": DpcCount back at DISPATCH_LEVEL", expected, dpcCount.get());
      ok.ok(at + ": KeRemoveQueueDpc of the queued DPC returned TRUE", dpc.removeQueue(), "FALSE");
      services.lowerIrql(irql2);
      ok.eq(at + ": DpcCount lowered to APC_LEVEL, the DPC removed", expected, dpcCount.get());
    }
    services.lowerIrql(irql);

    ok.eq("KeDpc/end: DpcCount", expected, dpcCount.get());
    okIrql(services, ok, "KeDpc/end", Irql.PASSIVE_LEVEL);
  }
}
