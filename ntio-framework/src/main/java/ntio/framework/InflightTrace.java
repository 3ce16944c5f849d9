package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.TraceResult;
import ntio.ddk.NtStatus;
import ntio.ddk.TraceProvider;
import ntio.ddk.UnicodeString;

/**
 * A driver's software tracing, WPP style. Models {@code WPP_INIT_TRACING}, the generated {@code
 * DoTraceMessage} calls and {@code WPP_CLEANUP} (partial: a trace is a formatted line written to
 * the kernel's trace log through the driver's registered provider; no levels, flags or
 * in-flight-recorder buffers).
 *
 * <p>{@link #init} registers the provider through the driver's services; {@link #cleanup}
 * unregisters it. Every successful init must be paired with exactly one cleanup on every path
 * (L9): the framework pattern puts init after {@link Wdf#driverCreate} and cleanup in the
 * WDFDRIVER's cleanup callback, which runs both at unload and when DriverEntry fails (L8). A
 * provider never cleaned up is found by Driver Verifier when the image is unmapped (0xC4/0xDD).
 * Misuse this class sees itself is reported as a verifier finding [MODEL]:
 *
 * <ul>
 *   <li>{@code V-WPP-01}: "WPP cleanup called twice" (T08 A);
 *   <li>{@code V-WPP-02}: "trace after WPP cleanup" (T08 C).
 * </ul>
 *
 * <p>The driver keeps the instance (in its entry object or a context): the framework's classes are
 * shared by every driver, so it holds nothing in statics. Thread-safe.
 */
public final class InflightTrace {

  /** What the trace is doing now. */
  private enum State {
    /** The provider is registered; traces are written. */
    ACTIVE,
    /** Registration failed: traces are dropped, cleanup has nothing to undo (WPP ignores it too). */
    INACTIVE,
    /** Cleaned up: a trace or a second cleanup is a finding. */
    CLEANED_UP
  }

  private final KernelServices services;
  private final UnicodeString driverName;
  private final TraceProvider provider;
  private final NtStatus initStatus;

  @GuardedBy("this")
  private State state;

  private InflightTrace(DriverObject driver, TraceResult registered) {
    this.services = driver.services();
    this.driverName = driver.driverName();
    this.initStatus = registered.status();
    this.provider = registered.status().isSuccess() ? registered.provider() : null;
    synchronized (this) {
      this.state = provider != null ? State.ACTIVE : State.INACTIVE;
    }
  }

  /**
   * Starts tracing for {@code driver} with a control GUID derived from its name. Models {@code
   * WPP_INIT_TRACING(DriverObject, RegistryPath)} (partial).
   *
   * @param registryPath the driver's service key (WPP reads trace settings there; ntio does not)
   */
  public static InflightTrace init(DriverObject driver, UnicodeString registryPath) {
    UUID id = UUID.nameUUIDFromBytes(("ntio WPP control " + driver.driverName())
        .getBytes(StandardCharsets.UTF_8));
    return init(driver, registryPath, id);
  }

  /** Starts tracing with the driver's own control GUID. Models {@code WPP_INIT_TRACING} (partial). */
  public static InflightTrace init(DriverObject driver, UnicodeString registryPath, UUID controlGuid) {
    Objects.requireNonNull(driver, "driver");
    return new InflightTrace(driver, driver.services().registerTraceProvider(controlGuid));
  }

  /** The registration's status: a failed init leaves the trace inactive, as WPP does. */
  public NtStatus initStatus() {
    return initStatus;
  }

  /** Whether the provider is registered now. */
  public synchronized boolean isActive() {
    return state == State.ACTIVE;
  }

  /**
   * Writes a trace line. Models {@code DoTraceMessage} (partial). After cleanup the line is dropped
   * and the misuse reported (V-WPP-02).
   *
   * @param format a {@link String#format} format
   */
  public void trace(String format, Object... arguments) {
    State now;
    synchronized (this) {
      now = state;
    }
    switch (now) {
      case ACTIVE -> provider.write(String.format(format, arguments));
      case INACTIVE -> { } // init failed: WPP traces go nowhere
      case CLEANED_UP -> services.verifierBreak("V-WPP-02", "[" + driverName
          + "] trace after WPP cleanup: \"" + String.format(format, arguments) + "\" is dropped");
    }
  }

  /**
   * Stops tracing: unregisters the provider. Models {@code WPP_CLEANUP(DriverObject)} (full). A
   * second call is reported (V-WPP-01) and does nothing.
   */
  public void cleanup(DriverObject driver) {
    State was;
    synchronized (this) {
      was = state;
      state = State.CLEANED_UP;
    }
    switch (was) {
      case ACTIVE -> services.unregisterTraceProvider(provider);
      case INACTIVE -> { } // nothing was registered
      case CLEANED_UP -> services.verifierBreak("V-WPP-01", "[" + driverName + "] WPP cleanup called twice");
    }
  }
}
