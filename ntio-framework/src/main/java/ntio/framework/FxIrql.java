package ntio.framework;

import java.util.Map;
import ntio.ddk.Irql;
import ntio.ddk.NtStatus;

/**
 * The framework verifier's two IRQL checks, in one place.
 *
 * <p><b>V-KMDF-10</b>, a DDI called above its maximum IRQL: each framework DDI's maximum is in
 * {@link #MAX_IRQL} (the {@code __drv_maxIRQL} annotation of its KMDF export, which the WDK docs
 * repeat as the DDI's "IRQL" requirement); {@link #checkDdi} is {@code FxVerifierCheckIrqlLevel}
 * ({@code fxverifier.h}): with the framework verifier off it does nothing; with it on, a call
 * above the maximum is traced, breaks ({@code FxVerifierDbgBreakPoint}, a finding) and the DDI
 * returns {@code STATUS_INVALID_DEVICE_REQUEST} without doing anything.
 *
 * <p><b>V-KMDF-12</b>, a driver callback that returns at another IRQL than it was called at: with
 * {@code EnhancedVerifierOptions} bit 0x1 ({@code FxEnhancedVerifierCallbackIrqlAndCRCheck}), the
 * framework's event hooks note the IRQL on entry and compare it on exit ({@code VerifyIrqlEntry}
 * / {@code VerifyIrqlExit}, {@code vfpriv.hpp}); a difference is {@code WDF_VIOLATION} (0x10D),
 * P1 = {@code WDF_VERIFIER_IRQL_MISMATCH} (0xE), P2 = the IRQL at entry, P3 = at exit.
 */
final class FxIrql {

  /** 0x10D P1: a callback returned at an IRQL other than its entry IRQL. */
  static final int WDF_VERIFIER_IRQL_MISMATCH = 0xE;

  /** {@code EnhancedVerifierOptions}: check each callback's IRQL (and critical region) on return. */
  static final int ENHANCED_CALLBACK_IRQL_CHECK = 0x1;

  /**
   * The maximum IRQL of each DDI that checks it, by its KMDF name. A DDI not listed does not check
   * (its maximum is DISPATCH_LEVEL or higher and KMDF does not verify it).
   */
  static final Map<String, Irql> MAX_IRQL = Map.ofEntries(
      Map.entry("WdfDriverCreate", Irql.PASSIVE_LEVEL),
      Map.entry("WdfDeviceCreate", Irql.PASSIVE_LEVEL),
      Map.entry("WdfControlDeviceInitAllocate", Irql.PASSIVE_LEVEL),
      Map.entry("WdfDeviceCreateSymbolicLink", Irql.PASSIVE_LEVEL),
      Map.entry("WdfWaitLockCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfIoQueueCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfObjectCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfMemoryCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfTimerCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfWorkItemCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfSpinLockCreate", Irql.DISPATCH_LEVEL),
      Map.entry("WdfObjectDelete", Irql.DISPATCH_LEVEL),
      Map.entry("WdfRequestComplete", Irql.DISPATCH_LEVEL),
      Map.entry("WdfTimerStart", Irql.DISPATCH_LEVEL),
      Map.entry("WdfWorkItemEnqueue", Irql.DISPATCH_LEVEL),
      Map.entry("WdfSpinLockAcquire", Irql.DISPATCH_LEVEL),
      Map.entry("WdfObjectAcquireLock", Irql.DISPATCH_LEVEL),
      Map.entry("WdfWorkItemFlush", Irql.PASSIVE_LEVEL),
      Map.entry("WdfWaitLockAcquire", Irql.PASSIVE_LEVEL));

  private FxIrql() {}

  /** Whether the calling thread runs above PASSIVE_LEVEL. */
  static boolean raised(FxGlobals globals) {
    return globals.services.getCurrentIrql() != Irql.PASSIVE_LEVEL;
  }

  /** {@link #checkDdi(FxGlobals, String, Irql)} with the DDI's maximum from {@link #MAX_IRQL}. */
  static NtStatus checkDdi(FxGlobals globals, String ddi) {
    Irql max = MAX_IRQL.get(ddi);
    return max == null ? NtStatus.STATUS_SUCCESS : checkDdi(globals, ddi, max);
  }

  /**
   * V-KMDF-10 for a DDI whose maximum is {@code max} (for one whose maximum depends on its
   * arguments: {@code WdfWaitLockAcquire} with a zero timeout may be called at DISPATCH_LEVEL).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_INVALID_DEVICE_REQUEST} (after a finding) when
   *     the framework verifier is on and the caller is above {@code max}
   */
  static NtStatus checkDdi(FxGlobals globals, String ddi, Irql max) {
    if (!globals.settings.verifierOn()) {
      return NtStatus.STATUS_SUCCESS;
    }
    Irql current = globals.services.getCurrentIrql();
    if (!current.isAbove(max)) {
      return NtStatus.STATUS_SUCCESS;
    }
    globals.verifierBreak("V-KMDF-10", ddi + " called at " + current + "; it may be called at " + max
        + " or below: " + NtStatus.STATUS_INVALID_DEVICE_REQUEST + ", nothing done");
    return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
  }

  /** Whether {@link #checkDdi(FxGlobals, String)} lets {@code ddi} go ahead: for DDIs that return nothing. */
  static boolean allows(FxGlobals globals, String ddi) {
    return checkDdi(globals, ddi).isSuccess();
  }

  /**
   * Calls a driver callback; with {@code EnhancedVerifierOptions} 0x1, checks that it returns at
   * the IRQL it was called at (V-KMDF-12).
   *
   * @param callback the callback's KMDF name ({@code EvtIoRead}), for the bug check's message
   */
  static void callback(FxGlobals globals, String callback, Runnable body) {
    if ((globals.settings.enhancedVerifierOptions() & ENHANCED_CALLBACK_IRQL_CHECK) == 0) {
      body.run();
      return;
    }
    Irql entry = globals.services.getCurrentIrql();
    body.run();
    Irql exit = globals.services.getCurrentIrql();
    if (exit != entry) {
      throw globals.bugCheck(WDF_VERIFIER_IRQL_MISMATCH, entry.level(), exit.level(),
          callback + " was called at " + entry + " and returned at " + exit);
    }
  }
}
