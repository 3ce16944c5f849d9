package ntio.framework;

import java.time.Duration;

/**
 * What {@link Wdf#timerCreate} is configured with. Models {@code WDF_TIMER_CONFIG} with {@code
 * WDF_TIMER_CONFIG_INIT} / {@code WDF_TIMER_CONFIG_INIT_PERIODIC} (partial: no tolerable delay, no
 * high-resolution timers). A plain mutable value, read during the call; not thread-safe.
 */
public final class WdfTimerConfig {

  /** {@code EVT_WDF_TIMER}: the timer expired. Runs on the kernel's timer thread (its DPC). */
  @FunctionalInterface
  public interface TimerCallback {
    /** Called each time the timer expires. */
    void onTimer(WdfTimer timer);
  }

  private final TimerCallback callback;
  private final Duration period;
  private boolean automaticSerialization = true;

  private WdfTimerConfig(TimerCallback callback, Duration period) {
    this.callback = callback;
    this.period = period;
  }

  /** A one-shot timer. Models {@code WDF_TIMER_CONFIG_INIT} (full). */
  public static WdfTimerConfig init(TimerCallback callback) {
    return new WdfTimerConfig(callback, Duration.ZERO);
  }

  /** A periodic timer. Models {@code WDF_TIMER_CONFIG_INIT_PERIODIC} (full). */
  public static WdfTimerConfig periodic(TimerCallback callback, Duration period) {
    return new WdfTimerConfig(callback, period);
  }

  /** {@code EvtTimerFunc}. */
  public TimerCallback callback() {
    return callback;
  }

  /** {@code Period}: zero for a one-shot timer. */
  public Duration period() {
    return period;
  }

  /**
   * {@code AutomaticSerialization}, true as the INIT macros set it: the callback runs under the
   * callback lock of the nearest queue or device above the timer's parent, when that object's
   * scope is Device or Queue ({@link WdfObjectAttributes}).
   */
  public boolean automaticSerialization() {
    return automaticSerialization;
  }

  /** Sets {@code AutomaticSerialization}. */
  public WdfTimerConfig automaticSerialization(boolean serialize) {
    this.automaticSerialization = serialize;
    return this;
  }
}
