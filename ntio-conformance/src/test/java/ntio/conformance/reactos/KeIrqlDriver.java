package ntio.conformance.reactos;

import ntio.ddk.Irql;
import ntio.ddk.KernelServices;

/**
 * The kernel half of reactos/reactos {@code modules/rostests/kmtests/ntos_ke/KeIrql.c}, {@code
 * START_TEST(KeIrql)}: KeGetCurrentIrql, KeRaiseIrql, KeLowerIrql and KeRaiseIrqlToDpcLevel at every
 * level ntio has (PASSIVE, APC, DISPATCH, DEVICE, HIGH; upstream's list of x86 levels between
 * DISPATCH_LEVEL and HIGH_LEVEL maps to ntio's one device level).
 *
 * <p>Not ported: {@code KeRaiseIrqlToSynchLevel} (not in the DDK); the free build's "raise to
 * HIGH_LEVEL then to APC_LEVEL" block, which upstream skips on a checked build because it bug-checks
 * there, as ntio does (0x9, the HAL's {@code KfRaiseIrql}); the x86 stdcall exports, which ntio
 * does not distinguish from the fastcall routines.
 */
public final class KeIrqlDriver extends KmtKeDriver {

  /** The suite the checks are recorded under. */
  static final String SUITE = "KeIrql";

  /** Needed by the image loader. */
  public KeIrqlDriver() {
    super(SUITE);
  }

  @Override
  void test(KernelServices services, KmtChecks ok) {
    // "we should be called at PASSIVE_LEVEL"
    okIrql(services, ok, "KeIrql/entry", Irql.PASSIVE_LEVEL);
    Irql prev = services.getCurrentIrql();

    // "some Irqls MUST work": raise to each, back to where we were.
    for (Irql irql : Irql.values()) {
      String at = "KeIrql/must work " + irql;
      Irql old = services.raiseIrql(irql);
      ok.eq(at + ": KeRaiseIrql's old IRQL", prev, old);
      okIrql(services, ok, at, irql);
      services.lowerIrql(old);
      okIrql(services, ok, at + " lowered", prev);
    }

    // "raising/lowering to the current level should have no effect"
    okIrql(services, ok, "KeIrql/same level", Irql.PASSIVE_LEVEL);
    Irql same = services.raiseIrql(Irql.PASSIVE_LEVEL);
    ok.eq("KeIrql/same level: KeRaiseIrql(PASSIVE_LEVEL)'s old IRQL", Irql.PASSIVE_LEVEL, same);
    services.lowerIrql(Irql.PASSIVE_LEVEL);
    okIrql(services, ok, "KeIrql/same level lowered", Irql.PASSIVE_LEVEL);

    // "try to raise to each Irql and back"
    for (Irql irql : Irql.values()) {
      String at = "KeIrql/each and back " + irql;
      Irql old = services.raiseIrql(irql);
      ok.eq(at + ": KeRaiseIrql's old IRQL", prev, old);
      services.lowerIrql(old);
      okIrql(services, ok, at, prev);
    }

    // "go through all Irqls in order": each raise returns the level before it.
    for (Irql irql : Irql.values()) {
      String at = "KeIrql/in order up " + irql;
      Irql old = services.raiseIrql(irql);
      ok.eq(at + ": KeRaiseIrql's old IRQL", prev, old);
      Irql now = services.getCurrentIrql();
      ok.ok(at + ": new IRQL <= requested", !now.isAbove(irql), now);
      prev = now;
    }
    okIrql(services, ok, "KeIrql/in order up, at the top", Irql.HIGH_LEVEL);

    // "now go back again": each lower goes below the level before it.
    Irql[] levels = Irql.values();
    for (int i = levels.length - 1; i > 0; i--) {
      services.lowerIrql(levels[i - 1]);
      Irql now = services.getCurrentIrql();
      ok.ok("KeIrql/down to " + levels[i - 1] + ": new IRQL < " + levels[i], now.isBelow(levels[i]), now);
    }

    // "test KeRaiseIrqlToDpcLevel"
    okIrql(services, ok, "KeIrql/KeRaiseIrqlToDpcLevel before", Irql.PASSIVE_LEVEL);
    Irql first = services.raiseIrqlToDpcLevel();
    okIrql(services, ok, "KeIrql/KeRaiseIrqlToDpcLevel first", Irql.DISPATCH_LEVEL);
    ok.eq("KeIrql/KeRaiseIrqlToDpcLevel first: old IRQL", Irql.PASSIVE_LEVEL, first);
    Irql second = services.raiseIrqlToDpcLevel();
    okIrql(services, ok, "KeIrql/KeRaiseIrqlToDpcLevel second", Irql.DISPATCH_LEVEL);
    ok.eq("KeIrql/KeRaiseIrqlToDpcLevel second: old IRQL", Irql.DISPATCH_LEVEL, second);
    services.lowerIrql(Irql.PASSIVE_LEVEL);

    // "make sure we exit gracefully"
    okIrql(services, ok, "KeIrql/exit", Irql.PASSIVE_LEVEL);
    services.lowerIrql(Irql.PASSIVE_LEVEL);
  }
}
