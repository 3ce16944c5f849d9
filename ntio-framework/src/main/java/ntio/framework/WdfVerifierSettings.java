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
 * {@code SetVerifierState} read (S10, S11, D10; partial: {@code VerifyOn} and the logging values
 * are not modelled).
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
 * @param waitTimeoutSeconds {@code DbgWaitForSignalTimeoutInSec}: how long a framework wait lasts
 *     before it is reported (V-KMDF-20) and goes on; 0 waits without reporting. Read only when
 *     {@code dbgBreakOnError} is in effect, as KMDF does; 60 when absent or not read
 * @param objectLeakDetectionLimit {@code ObjectLeakDetectionLimit}: how many live objects of the
 *     counted types the driver may have per WDFDEVICE before V-KMDF-08; -1 when off (absent,
 *     {@code 0xFFFFFFFF}, or the verifier off)
 * @param objectsForLeakDetection {@code ObjectsForLeakDetection}: the handle type names counted
 *     (upper case), or {@code *} for all; {@link #DEFAULT_OBJECTS_FOR_LEAK_DETECTION} when absent.
 *     WDFDEVICE is counted whatever it says
 * @param enhancedVerifierOptions {@code EnhancedVerifierOptions}: bit 0x1 checks that every driver
 *     callback returns at the IRQL it was called at (V-KMDF-12); 0 when absent. Read whatever
 *     {@code VerifierOn} says
 */
public record WdfVerifierSettings(boolean verifierOn, long allocateFailCount, Set<String> trackHandles,
    boolean dbgBreakOnError, int waitTimeoutSeconds, long objectLeakDetectionLimit,
    Set<String> objectsForLeakDetection, int enhancedVerifierOptions) {

  /**
   * KMDF's default {@code ObjectsForLeakDetection} (S11): WDFREQUEST (driver-created ones only),
   * WDFMEMORY, WDFWORKITEM, WDFKEY, WDFSTRING, WDFOBJECT and WDFDEVICE.
   */
  public static final Set<String> DEFAULT_OBJECTS_FOR_LEAK_DETECTION = Set.of("WDFREQUEST", "WDFMEMORY",
      "WDFWORKITEM", "WDFKEY", "WDFSTRING", "WDFOBJECT", "WDFDEVICE");

  /** {@code DbgWaitForSignalTimeoutInSec} when it is absent, or not read. */
  public static final int DEFAULT_WAIT_TIMEOUT_SECONDS = 60;

  /** The subkey of the service key the values are in. */
  public static final String KEY = "Parameters\\Wdf";

  public WdfVerifierSettings {
    trackHandles = Set.copyOf(trackHandles);
    objectsForLeakDetection = Set.copyOf(objectsForLeakDetection);
  }

  /**
   * Whether live objects of {@code type} count toward {@code ObjectLeakDetectionLimit}. A
   * WDFREQUEST never does: KMDF counts only driver-created requests, and ntio has none.
   */
  public boolean countsForLeakDetection(WdfHandleType type) {
    if (objectLeakDetectionLimit < 0 || type == WdfHandleType.WDFREQUEST) {
      return false;
    }
    return type == WdfHandleType.WDFDEVICE || objectsForLeakDetection.contains("*")
        || objectsForLeakDetection.contains(type.name());
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
    OptionalInt leakLimit = OptionalInt.empty();
    List<String> leakTypes = List.of();
    OptionalInt enhanced = OptionalInt.empty();
    if (registryPath != null && registryPath.isWellFormed()) {
      HandleResult key = services.openKey(UnicodeString.of(registryPath.text() + "\\" + KEY), AccessMask.KEY_READ);
      if (key.status().isSuccess()) {
        try {
          verifierOn = dword(services, key, "VerifierOn");
          failCount = dword(services, key, "VerifierAllocateFailCount");
          dbgBreak = dword(services, key, "DbgBreakOnError");
          timeout = dword(services, key, "DbgWaitForSignalTimeoutInSec");
          track = multiString(services, key, "TrackHandles");
          leakLimit = dword(services, key, "ObjectLeakDetectionLimit");
          leakTypes = multiString(services, key, "ObjectsForLeakDetection");
          enhanced = dword(services, key, "EnhancedVerifierOptions");
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
    // KMDF reads the value only when DbgBreakOnError is in effect; 0 means waiting without a limit.
    int waitSeconds = DEFAULT_WAIT_TIMEOUT_SECONDS;
    if (breakOnError && timeout.isPresent()) {
      waitSeconds = (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(timeout.getAsInt()));
    }
    long leakDetectionLimit = -1;
    Set<String> leakCounted = DEFAULT_OBJECTS_FOR_LEAK_DETECTION;
    if (on && leakLimit.isPresent() && leakLimit.getAsInt() != 0xFFFFFFFF) {
      leakDetectionLimit = Integer.toUnsignedLong(leakLimit.getAsInt());
      if (leakTypes.stream().anyMatch(name -> !name.isBlank())) {
        leakCounted = new TreeSet<>();
        for (String name : leakTypes) {
          if (!name.isBlank()) {
            leakCounted.add(name.trim().toUpperCase(Locale.ROOT));
          }
        }
      }
    }
    return new WdfVerifierSettings(on, fail, tracked, breakOnError, waitSeconds, leakDetectionLimit, leakCounted,
        enhanced.orElse(0));
  }

  /** A REG_MULTI_SZ (or a REG_SZ, as one string); empty when absent. */
  private static List<String> multiString(KernelServices services, HandleResult key, String name) {
    ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of(name));
    if (!value.status().isSuccess() || value.value() == null) {
      return List.of();
    }
    return value.value().multiStringValue().or(() -> value.value().stringValue().map(List::of)).orElse(List.of());
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
