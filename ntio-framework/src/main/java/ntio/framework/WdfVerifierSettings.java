package ntio.framework;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The framework verifier's settings for one driver, read once when the driver binds. Models the
 * values of {@code <service key>\Parameters\Wdf} that {@code FxRegistrySettingsInitialize} and
 * {@code SetVerifierState} read (S10, S11, D10; partial: {@code VerifyOn}, {@code
 * ObjectLeakDetectionLimit}, {@code EnhancedVerifierOptions} and the logging values are not
 * modelled).
 *
 * @param verifierOn {@code VerifierOn}; when the value is absent (or there is no {@code Wdf} key,
 *     or no service key at all), whether Driver Verifier verifies the driver ({@code
 *     MmIsDriverVerifying}), as for a v1.9+ KMDF driver
 * @param allocateFailCount {@code VerifierAllocateFailCount}: allocations that succeed before
 *     every later one fails; -1 when off (absent, {@code 0xFFFFFFFF}, or the verifier off)
 * @param trackHandles {@code TrackHandles}: the handle type names whose references are tag-tracked
 *     (upper case), or {@code *} for all; empty when the verifier is off
 * @param dbgBreakOnError {@code DbgBreakOnError}, implied by {@code VerifierOn}; ntio records every
 *     DbgBreak as a verifier finding whether or not it would stop a debugger
 * @param waitTimeoutSeconds {@code DbgWaitForSignalTimeoutInSec}, 60 when absent
 */
public record WdfVerifierSettings(boolean verifierOn, long allocateFailCount, Set<String> trackHandles,
    boolean dbgBreakOnError, int waitTimeoutSeconds) {

  /** The subkey of the service key the values are in. */
  public static final String KEY = "Parameters\\Wdf";

  public WdfVerifierSettings {
    trackHandles = Set.copyOf(trackHandles);
  }

  /** Whether references on objects of {@code type} are tag-tracked (O18). */
  public boolean tracks(WdfHandleType type) {
    return verifierOn && (trackHandles.contains("*") || trackHandles.contains(type.name()));
  }

  /**
   * Reads the settings of {@code driver} from {@code registryPath\Parameters\Wdf} through the
   * driver's own services.
   *
   * @param registryPath the resolved service key DriverEntry was given; null for a builtin driver
   */
  static WdfVerifierSettings read(KernelServices services, DriverObject driver, UnicodeString registryPath) {
    OptionalInt verifierOn = OptionalInt.empty();
    OptionalInt failCount = OptionalInt.empty();
    OptionalInt dbgBreak = OptionalInt.empty();
    OptionalInt timeout = OptionalInt.empty();
    List<String> track = List.of();
    if (registryPath != null && registryPath.isWellFormed()) {
      HandleResult key = services.openKey(UnicodeString.of(registryPath.text() + "\\" + KEY), AccessMask.KEY_READ);
      if (key.status().isSuccess()) {
        try {
          verifierOn = dword(services, key, "VerifierOn");
          failCount = dword(services, key, "VerifierAllocateFailCount");
          dbgBreak = dword(services, key, "DbgBreakOnError");
          timeout = dword(services, key, "DbgWaitForSignalTimeoutInSec");
          ValueResult handles = services.queryValueKey(key.handle(), UnicodeString.of("TrackHandles"));
          if (handles.status().isSuccess() && handles.value() != null) {
            track = handles.value().multiStringValue()
                .or(() -> handles.value().stringValue().map(List::of)).orElse(List.of());
          }
        } finally {
          services.close(key.handle());
        }
      }
    }
    boolean on = verifierOn.isPresent() ? verifierOn.getAsInt() != 0 : services.isDriverVerifying(driver);
    long fail = -1;
    if (on && failCount.isPresent() && failCount.getAsInt() != 0xFFFFFFFF) {
      fail = Integer.toUnsignedLong(failCount.getAsInt());
    }
    Set<String> tracked = new TreeSet<>();
    if (on) {
      for (String name : track) {
        if (!name.isBlank()) {
          tracked.add(name.trim().toUpperCase(Locale.ROOT));
        }
      }
    }
    boolean breakOnError = dbgBreak.isPresent() ? dbgBreak.getAsInt() != 0 : on;
    int waitSeconds = timeout.isPresent() && timeout.getAsInt() > 0 ? timeout.getAsInt() : 60;
    return new WdfVerifierSettings(on, fail, tracked, breakOnError, waitSeconds);
  }

  private static OptionalInt dword(KernelServices services, HandleResult key, String name) {
    ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of(name));
    if (!value.status().isSuccess() || value.value() == null) {
      return OptionalInt.empty();
    }
    RegValue v = value.value();
    return v.dwordValue();
  }
}
