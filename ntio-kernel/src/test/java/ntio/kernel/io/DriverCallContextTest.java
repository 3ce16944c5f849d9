package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ntio.api.OpenResult;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.hangtests.GatedDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver code runs with its image's class loader as the thread's context class loader — in
 * DriverEntry, in a dispatch routine, in DriverUnload — and the kernel thread gets its own back
 * afterwards, uncaught-exception handler included.
 */
@Timeout(30)
class DriverCallContextTest {

  @TempDir Path state;

  @Test
  void driverEntryRunsWithTheImagesLoaderAsContextClassLoader() throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      install(fixture, "HangEntry");
      CompletableFuture<?> load = CompletableFuture.supplyAsync(() -> fixture.load("HangEntry"));
      Gate gate = Gate.of(fixture, "\\Driver\\HangEntry", "DriverEntry");

      assertThat(gate.thread().getContextClassLoader()).isSameAs(gate.imageLoader());
      assertThat(gate.thread().getContextClassLoader().getName()).isEqualTo("image:HangEntry.jar");

      gate.release();
      assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
      assertThat(gate.thread().getContextClassLoader()).isNotSameAs(gate.imageLoader());
    }
  }

  @Test
  void aDispatchRoutineRunsWithTheImagesLoaderAsContextClassLoader() throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      install(fixture, "HangCreate");
      assertThat(fixture.load("HangCreate")).isEqualTo(STATUS_SUCCESS);
      CompletableFuture<OpenResult> open = CompletableFuture.supplyAsync(
          () -> fixture.open(fixture.admin, "\\Device\\HangCreate"));
      Gate gate = Gate.of(fixture, "\\Driver\\HangCreate", "Create");

      assertThat(gate.thread().getContextClassLoader()).isSameAs(gate.imageLoader());

      gate.release();
      OpenResult opened = open.get(10, TimeUnit.SECONDS);
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      kernel.services().ntClose(fixture.admin, opened.handle());
    }
  }

  @Test
  void driverUnloadRunsWithTheImagesLoaderAsContextClassLoader() throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      install(fixture, "HangUnload");
      assertThat(fixture.load("HangUnload")).isEqualTo(STATUS_SUCCESS);
      Gate loaded = Gate.of(fixture, "\\Driver\\HangUnload", "DriverEntry");
      CompletableFuture<?> unload = CompletableFuture.supplyAsync(() -> fixture.unload("HangUnload"));
      Gate gate = loaded.awaiting("DriverUnload");

      assertThat(gate.thread().getContextClassLoader()).isSameAs(gate.imageLoader());

      gate.release();
      assertThat(unload.get(10, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void anUncaughtExceptionHandlerADriverSetsOnAKernelThreadDoesNotOutliveTheCall()
      throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      install(fixture, "Plain");

      assertThat(fixture.load("Plain")).isEqualTo(STATUS_SUCCESS);

      Thread worker = Gate.of(fixture, "\\Driver\\Plain", "DriverEntry").thread();
      // GatedDriver set one in DriverEntry; with none set, the thread's group answers.
      assertThat(worker.getUncaughtExceptionHandler()).isSameAs(worker.getThreadGroup());
    }
  }

  static void install(LoadFixture fixture, String service) {
    DriverJars.driver(fixture.drivers(), service + ".jar", GatedDriver.class);
    fixture.scriptedService(service, service + ".jar");
  }

  /** The statics of one load's copy of {@link GatedDriver}, read from outside the image. */
  record Gate(Class<?> driverClass, String routine) {

    /** Waits until the driver is named and {@code routine} has been entered. */
    static Gate of(LoadFixture fixture, String driverName, String routine) throws Exception {
      LoadFixture.awaitTrue(driverName + " exists", () -> fixture.driverExists(driverName));
      KernelDriverObject driver = fixture.referenceDriver(driverName);
      try {
        return new Gate(driver.driverInit().getClass(), routine).awaiting(routine);
      } finally {
        driver.dereference();
      }
    }

    Gate awaiting(String next) throws Exception {
      Gate gate = new Gate(driverClass, next);
      LoadFixture.awaitTrue(next + " entered", () -> gate.entered().containsKey(next));
      return gate;
    }

    @SuppressWarnings("unchecked")
    Map<String, Thread> entered() {
      try {
        return (Map<String, Thread>) driverClass.getField("ENTERED").get(null);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }

    Thread thread() {
      return entered().get(routine);
    }

    ClassLoader imageLoader() {
      return driverClass.getClassLoader();
    }

    void release() throws ReflectiveOperationException {
      ((CountDownLatch) driverClass.getField("RELEASE").get(null)).countDown();
    }
  }
}
