package ntio.host.daemon;

import ntio.api.DriverEvent;
import ntio.api.DriverEventListener;
import ntio.ddk.NtStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drivers' story in the host log (logger {@code ntio.host.daemon.DriverLog}): each load at
 * INFO, each load failure at ERROR with its status and detail (a start of a driver already running
 * at WARN), each unload, and a deferred
 * unload's start (with what holds the driver) and completion at INFO — what NT's System event log
 * says of drivers (events 7000, 7036). Each line starts with {@code Driver <service>}, so one
 * driver's story is one grep.
 *
 * <p>Called on kernel threads ({@link DriverEventListener}): it only formats and logs.
 */
final class DriverLog implements DriverEventListener {

  private static final Logger LOG = LoggerFactory.getLogger(DriverLog.class);

  @Override
  public void onDriverEvent(DriverEvent event) {
    String service = event.service().isEmpty() ? "(no service)" : event.service();
    switch (event.kind()) {
      case LOADED -> LOG.info("Driver {} loaded ({})", service, event.driverObject());
      case LOAD_FAILED -> {
        // A start of a running driver changes nothing: worth a line, not an error.
        if (event.status().equals(NtStatus.STATUS_IMAGE_ALREADY_LOADED)) {
          LOG.warn("Driver {} not loaded again: {}{}", service, event.status(), suffix(event.detail()));
        } else {
          LOG.error("Driver {} failed to load: {}{}", service, event.status(), suffix(event.detail()));
        }
      }
      case UNLOADED -> LOG.info("Driver {} unloaded ({} is gone)", service, event.driverObject());
      case UNLOAD_DEFERRED -> LOG.info("Driver {} unload deferred: {}", service, event.detail());
      case DEFERRED_UNLOAD_COMPLETED -> LOG.info(
          "Driver {} deferred unload completed: DriverUnload ran, {} is gone", service,
          event.driverObject());
      default -> LOG.info("Driver {} {}: {}{}", service, event.kind(), event.status(), suffix(event.detail()));
    }
  }

  private static String suffix(String detail) {
    return detail.isEmpty() ? "" : ": " + detail;
  }
}
