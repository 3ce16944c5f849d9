package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import ntio.api.OpenResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens and closes racing unloads and reloads (spec B19, B20, B24, B36, B38): eight client
 * processes open and close a device while the test unloads and reloads its driver for about three
 * seconds.
 *
 * <p>What is checked, and why each check can fail:
 *
 * <ul>
 *   <li>DriverUnload runs exactly once per load: the driver counts its DriverEntry and DriverUnload
 *       calls in the registry, and each cycle waits for the count of the generation it unloaded.
 *   <li>DriverUnload never runs while the driver counts an open, and no IRP_MJ_CREATE reaches a
 *       driver after its DriverUnload: the driver checks both on itself and records a violation.
 *   <li>No open that began after the unload was marked succeeds on the marked generation: every
 *       open takes a ticket from one clock before it calls NtCreateFile; the unloader takes one
 *       after NtUnloadDriver returned (the devices were marked by then). A successful open asks
 *       its device's generation through the handle; if that generation's unload ticket is older
 *       than the open's ticket, an open got past a marked device.
 *   <li>Opens fail only as the protocol says: STATUS_NO_SUCH_DEVICE (marked) or
 *       STATUS_OBJECT_NAME_NOT_FOUND (deleted, or not loaded yet).
 * </ul>
 */
class UnloadStressTest {

  private static final String SERVICE = "UnlStress";
  private static final String DEVICE = "\\Device\\UnlStress";
  private static final String DRIVER = "\\Driver\\UnlStress";
  private static final int OPENERS = 8;
  private static final long RUN_MILLIS = 3_000;

  @TempDir
  Path state;

  private UnloadFixture f;

  @BeforeEach
  void boot() {
    f = UnloadFixture.boot(state);
  }

  @AfterEach
  void shutdown() {
    f.close();
  }

  /** One successful open: the generation it reached and the ticket it took before opening. */
  private record Open(int generation, long ticket) {}

  @Test
  @Timeout(60)
  void B19_B20_B38_opensRacingUnloadAndReloadNeverMeetAMarkedOrUnloadedDriver() throws Exception {
    f.installScripted(SERVICE, RegValue.string(ScriptedNames.DEVICE_NAME, DEVICE));
    assertThat(f.load(SERVICE)).isEqualTo(STATUS_SUCCESS);

    AtomicLong clock = new AtomicLong();
    // Only the unloading (test) thread reads and writes it.
    Map<Integer, Long> markedAt = new HashMap<>();
    Queue<Open> opens = new ConcurrentLinkedQueue<>();
    Set<NtStatus> failures = ConcurrentHashMap.newKeySet();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(OPENERS);
    List<Thread> openers = new ArrayList<>();
    for (int i = 0; i < OPENERS; i++) {
      KThread client = f.kernel.userSession("opener-" + i, Sid.unixUser(3000 + i));
      Thread opener = new Thread(() -> {
        started.countDown();
        try {
          while (!stop.get()) {
            long ticket = clock.incrementAndGet();
            OpenResult opened = f.tryOpen(client, DEVICE);
            if (opened.status().isSuccess()) {
              opens.add(new Open(f.generation(client, opened.handle()), ticket));
              f.close(client, opened.handle());
            } else {
              failures.add(opened.status());
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "opener-" + i);
      openers.add(opener);
      opener.start();
    }

    int cycles = 0;
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      long end = System.nanoTime() + RUN_MILLIS * 1_000_000L;
      while (System.nanoTime() - end < 0 && errors.isEmpty()) {
        int generation = f.observed(SERVICE, ScriptedNames.LOADS);
        assertThat(f.unload(SERVICE)).isEqualTo(STATUS_SUCCESS);
        markedAt.put(generation, clock.incrementAndGet());
        f.awaitUnloaded(SERVICE, DRIVER, generation);
        assertThat(f.observed(SERVICE, ScriptedNames.UNLOADS)).as("DriverUnload calls").isEqualTo(generation);
        assertThat(f.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
        assertThat(f.observed(SERVICE, ScriptedNames.LOADS)).isEqualTo(generation + 1);
        cycles++;
      }
    } finally {
      stop.set(true);
      for (Thread opener : openers) {
        opener.join(TimeUnit.SECONDS.toMillis(20));
      }
    }
    assertThat(errors).isEmpty();
    assertThat(openers).noneMatch(Thread::isAlive);

    int lastGeneration = f.observed(SERVICE, ScriptedNames.LOADS);
    assertThat(f.unload(SERVICE)).isEqualTo(STATUS_SUCCESS);
    markedAt.put(lastGeneration, clock.incrementAndGet());
    f.awaitUnloaded(SERVICE, DRIVER, lastGeneration);

    assertThat(cycles).as("unload-reload cycles").isPositive();
    assertThat(opens).as("successful opens").isNotEmpty();
    assertThat(lastGeneration).isEqualTo(cycles + 1);
    assertThat(f.observed(SERVICE, ScriptedNames.UNLOADS)).isEqualTo(lastGeneration);
    f.assertNoViolations(SERVICE);
    assertThat(failures).isSubsetOf(NtStatus.STATUS_NO_SUCH_DEVICE, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    for (Open open : opens) {
      Long marked = markedAt.get(open.generation());
      assertThat(marked).as("generation %d was unloaded", open.generation()).isNotNull();
      assertThat(open.ticket())
          .as("an open of generation %d began after its unload was marked", open.generation())
          .isLessThan(marked);
    }
  }
}
