package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.driverPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DriverLoaderStressTest {

  private static final int THREADS = 8;

  @TempDir
  Path temp;

  private LoaderFixture fixture;
  private ExecutorService pool;

  @BeforeEach
  void boot() {
    fixture = new LoaderFixture(temp);
    pool = Executors.newFixedThreadPool(THREADS + 1);
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @Timeout(60)
  void eightThreadsMappingOneImageAtOnceHaveExactlyOneWinner() throws Exception {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    for (int round = 0; round < 25; round++) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<DriverLoader.MapResult>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        // Every spelling differs in case only: one key.
        String path = t % 2 == 0 ? driverPath("Echo.jar") : driverPath("ECHO.JAR").toLowerCase(java.util.Locale.ROOT);
        String service = "Echo" + t;
        results.add(pool.submit(() -> {
          start.await();
          return fixture.loader.map(service, path);
        }));
      }
      start.countDown();

      List<LoadedImage> winners = new ArrayList<>();
      Set<LoadedImage> reported = new HashSet<>();
      for (Future<DriverLoader.MapResult> future : results) {
        DriverLoader.MapResult result = future.get(30, TimeUnit.SECONDS);
        assertThat(result.status()).isIn(NtStatus.STATUS_SUCCESS, NtStatus.STATUS_IMAGE_ALREADY_LOADED);
        if (result.status().equals(NtStatus.STATUS_SUCCESS)) {
          winners.add(result.image());
        }
        reported.add(result.image());
      }
      assertThat(winners).as("round " + round).hasSize(1);
      assertThat(reported).containsExactly(winners.get(0));
      assertThat(fixture.loader.loadedImages()).containsExactly(winners.get(0));
      fixture.loader.unmap(winners.get(0));
      assertThat(fixture.loader.loadedImages()).isEmpty();
    }
  }

  @Test
  @Timeout(60)
  void mappingAndUnmappingDifferentImagesAndOneSharedImageKeepsTheListConsistent()
      throws Exception {
    for (int t = 0; t < 4; t++) {
      DriverJars.driver(fixture.drivers, "Own" + t + ".jar", EchoDriver.class);
    }
    DriverJars.driver(fixture.drivers, "Shared.jar", EchoDriver.class);
    int iterations = 40;
    AtomicInteger sharedHolders = new AtomicInteger();
    AtomicInteger sharedWins = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();

    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      workers.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < iterations; i++) {
          if (thread < 4) {
            // Sole user of its own image: every map must succeed.
            DriverLoader.MapResult own = fixture.loader.map("Own" + thread,
                driverPath("Own" + thread + ".jar"));
            if (!own.status().equals(NtStatus.STATUS_SUCCESS)) {
              violations.add("own image " + thread + ": " + own.status() + " " + own.detail());
              continue;
            }
            if (!fixture.loader.loadedImages().contains(own.image())) {
              violations.add("own image " + thread + " missing from the list");
            }
            fixture.loader.unmap(own.image());
          } else {
            DriverLoader.MapResult shared = fixture.loader.map("Shared" + thread,
                driverPath("Shared.jar"));
            if (shared.status().equals(NtStatus.STATUS_SUCCESS)) {
              sharedWins.incrementAndGet();
              if (sharedHolders.incrementAndGet() != 1) {
                violations.add("two holders of the shared image");
              }
              sharedHolders.decrementAndGet();
              fixture.loader.unmap(shared.image());
            } else if (!shared.status().equals(NtStatus.STATUS_IMAGE_ALREADY_LOADED)) {
              violations.add("shared image: " + shared.status() + " " + shared.detail());
            }
          }
        }
        return null;
      }));
    }
    Future<?> watcher = pool.submit(() -> {
      start.await();
      while (!done.get()) {
        List<LoadedImage> snapshot = fixture.loader.loadedImages();
        Set<String> keys = new HashSet<>();
        for (LoadedImage image : snapshot) {
          if (!keys.add(image.key())) {
            violations.add("key listed twice: " + image.key());
          }
        }
        if (snapshot.size() > 5) {
          violations.add("more images than exist: " + snapshot);
        }
      }
      return null;
    });
    start.countDown();
    for (Future<?> worker : workers) {
      worker.get(50, TimeUnit.SECONDS);
    }
    done.set(true);
    watcher.get(10, TimeUnit.SECONDS);

    assertThat(violations).isEmpty();
    assertThat(sharedWins.get()).isPositive();
    assertThat(fixture.loader.loadedImages()).isEmpty();
  }
}
