package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.DriverEvent;
import ntio.ddk.Handle;
import ntio.ddk.RegValue;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver events a host's log is written from: a load, an unload, and a deferred unload's start
 * and completion, each published once with the driver's service and object name, on real images.
 */
@Timeout(60)
class DriverEventsTest {

  @TempDir Path state;

  private UnloadFixture f;
  private final List<DriverEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void boot() {
    f = UnloadFixture.boot(state);
    f.kernel.addDriverEventListener(events::add);
  }

  @AfterEach
  void shutdown() {
    f.close();
  }

  @Test
  void aLoadAndAnUnloadArePublishedAsLoadedThenUnloaded() {
    f.installScripted("EvPlain", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\EvPlain"));

    assertThat(f.load("EvPlain")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.unload("EvPlain")).isEqualTo(STATUS_SUCCESS);

    assertThat(events).containsExactly(
        new DriverEvent(DriverEvent.Kind.LOADED, "EvPlain", "\\Driver\\EvPlain", STATUS_SUCCESS, ""),
        new DriverEvent(DriverEvent.Kind.UNLOADED, "EvPlain", "\\Driver\\EvPlain", STATUS_SUCCESS, ""));
  }

  @Test
  void aDeferredUnloadIsPublishedWhenItStartsWithWhatHoldsTheDriverAndWhenItCompletes() {
    f.installScripted("EvDefer", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\EvDefer"));
    assertThat(f.load("EvDefer")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\EvDefer");

    assertThat(f.unload("EvDefer")).isEqualTo(STATUS_SUCCESS);

    assertThat(events).extracting(DriverEvent::kind)
        .containsExactly(DriverEvent.Kind.LOADED, DriverEvent.Kind.UNLOAD_DEFERRED);
    assertThat(events.get(1).detail())
        .isEqualTo("1 open reference and 0 attached devices on its 1 device keep it; DriverUnload"
            + " runs when they go");

    f.close(handle);
    f.awaitUnloaded("EvDefer", "\\Driver\\EvDefer", 1);

    assertThat(events).extracting(DriverEvent::kind).containsExactly(DriverEvent.Kind.LOADED,
        DriverEvent.Kind.UNLOAD_DEFERRED, DriverEvent.Kind.DEFERRED_UNLOAD_COMPLETED);
    assertThat(events.get(2).service()).isEqualTo("EvDefer");
    assertThat(events.get(2).driverObject()).isEqualTo("\\Driver\\EvDefer");
  }

  @Test
  void aListenerThatThrowsDoesNotKeepTheOthersFromBeingTold() {
    f.kernel.removeDriverEventListener(events::add);
    List<DriverEvent> told = new CopyOnWriteArrayList<>();
    f.kernel.addDriverEventListener(event -> {
      throw new IllegalStateException("a broken listener");
    });
    f.kernel.addDriverEventListener(told::add);
    f.installScripted("EvThrow", RegValue.string(ScriptedNames.DEVICE_NAME, "\\Device\\EvThrow"));

    assertThat(f.load("EvThrow")).isEqualTo(STATUS_SUCCESS);

    assertThat(told).extracting(DriverEvent::kind).containsExactly(DriverEvent.Kind.LOADED);
  }
}
