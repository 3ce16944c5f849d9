package ntio.kernel.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.DriverLoader;
import ntio.kernel.loader.ImagePolicy;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.verifier.probe.CleanDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-loader probe on real image class loaders: the standalone batch API, the verifier's
 * batching of probes into one collection, and what a finding says when nothing visible holds the
 * loader (DV8).
 */
@Timeout(60)
class LoaderProbeTest {

  @TempDir Path temp;

  /** Maps {@code count} images of CleanDriver, defines their entry classes, unmaps them. */
  private List<WeakReference<ClassLoader>> unmappedImageLoaders(int count) throws Exception {
    Path systemRoot = temp.resolve("SystemRoot");
    Path drivers = Files.createDirectories(systemRoot.resolve("System32").resolve("drivers"));
    DriverLoader loader = new DriverLoader(systemRoot, ImagePolicy.defaults(systemRoot));
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DriverJars.driver(drivers, "Clean" + i + ".jar", CleanDriver.class);
      DriverLoader.MapResult mapped = loader.map("Clean" + i,
          "\\SystemRoot\\System32\\drivers\\Clean" + i + ".jar");
      assertThat(mapped.status()).as(mapped.detail()).isEqualTo(NtStatus.STATUS_SUCCESS);
      LoadedImage image = mapped.image();
      assertThat(image.newEntryPoint().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      loaders.add(image.unloadedLoaderReference());
      loader.unmap(image);
    }
    return loaders;
  }

  @Test
  void DV8_theBatchApiProvesTenUnmappedImageLoadersUnreachableWithOneCollection() throws Exception {
    List<WeakReference<ClassLoader>> loaders = unmappedImageLoaders(10);
    AtomicInteger collections = new AtomicInteger();

    LoaderProbe.Outcome outcome = LoaderProbe.check(loaders, 3, Duration.ZERO, () -> {
      collections.incrementAndGet();
      System.gc();
    });

    assertThat(outcome.allUnreachable()).as("still reachable: %s", outcome.reachable()).isTrue();
    assertThat(outcome.collections()).isEqualTo(1);
    assertThat(collections).hasValue(1);
  }

  @Test
  void DV8_theBatchApiReturnsTheLoadersStillHeldAfterItsBoundedCollections() throws Exception {
    List<WeakReference<ClassLoader>> loaders = unmappedImageLoaders(2);
    ClassLoader held = loaders.get(1).get();
    assertThat(held).as("not collected yet").isNotNull();

    LoaderProbe.Outcome outcome = LoaderProbe.check(loaders, 2, Duration.ofMillis(1));

    assertThat(outcome.reachable()).containsExactly(loaders.get(1));
    assertThat(outcome.collections()).isEqualTo(2);
    assertThat(outcome.interrupted()).isFalse();
    Reference.reachabilityFence(held);
  }

  @Test
  void DV8_loadersAlreadyGoneCostNoCollection() {
    WeakReference<ClassLoader> gone = new WeakReference<>(null);

    LoaderProbe.Outcome outcome = LoaderProbe.check(List.of(gone), 3, Duration.ZERO,
        () -> { throw new AssertionError("no collection expected"); });

    assertThat(outcome.allUnreachable()).isTrue();
    assertThat(outcome.collections()).isZero();
  }

  @Test
  void DV8_aProbeNeedsAtLeastOneCollection() {
    assertThatThrownBy(() -> LoaderProbe.check(List.of(), 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one collection: 0");
  }

  @Test
  void DV8_probesQueuedBeforeTheBatchRunsShareOneCollection() throws Exception {
    List<WeakReference<ClassLoader>> loaders = unmappedImageLoaders(3);
    List<Runnable> jobs = new ArrayList<>();
    AtomicInteger collections = new AtomicInteger();
    List<String> reported = new ArrayList<>();
    LoaderProbes probes = new LoaderProbes(jobs::add, () -> {
      collections.incrementAndGet();
      System.gc();
    }, (image, message) -> reported.add(image), Duration.ZERO, Duration.ZERO);

    for (int i = 0; i < loaders.size(); i++) {
      probes.probe("Clean" + i + ".jar", loaders.get(i));
    }
    assertThat(jobs).as("one job for the batch").hasSize(1);
    assertThat(probes.awaitIdle(Duration.ZERO)).as("idle before the job ran").isFalse();
    jobs.get(0).run();

    assertThat(probes.awaitIdle(Duration.ZERO)).isTrue();
    assertThat(collections).hasValue(1);
    assertThat(reported).isEmpty();
    assertThat(probes.statistics()).isEqualTo(new LoaderProbeStatistics(3, 3, 0, 0, 1, 1));
  }

  @Test
  void DV8_aLoaderTheFirstLookFindsReachableIsReportedOnlyIfTheSecondLookDoesToo() {
    ClassLoader[] heldForAMoment = {new ClassLoader("image:Moment.jar", null) {}};
    ClassLoader heldForGood = new ClassLoader("image:Leak.jar", null) {};
    List<Runnable> jobs = new ArrayList<>();
    AtomicInteger collections = new AtomicInteger();
    List<String> reported = new ArrayList<>();
    LoaderProbes probes = new LoaderProbes(jobs::add, () -> {
      if (collections.incrementAndGet() > LoaderProbe.DEFAULT_COLLECTIONS) {
        heldForAMoment[0] = null; // what held it (a frame, compiled code) has let go
      }
      System.gc();
    }, (image, message) -> reported.add(image), Duration.ZERO, Duration.ZERO);

    probes.probe("Moment.jar", new WeakReference<>(heldForAMoment[0]));
    probes.probe("Leak.jar", new WeakReference<>(heldForGood));
    jobs.get(0).run();

    assertThat(probes.awaitIdle(Duration.ZERO)).isTrue();
    assertThat(reported).containsExactly("Leak.jar");
    LoaderProbeStatistics statistics = probes.statistics();
    assertThat(statistics.probes()).isEqualTo(2);
    assertThat(statistics.provenUnreachable()).isEqualTo(1);
    assertThat(statistics.stillReachable()).isEqualTo(1);
    assertThat(statistics.batches()).as("a first look and a second").isEqualTo(2);
    assertThat(heldForGood).isNotNull();
  }

  @Test
  void DV8_probesRefusedByAStoppingWorkerAreAbandonedNotAwaitedForever() {
    LoaderProbes probes = new LoaderProbes(job -> {
      throw new RejectedExecutionException("stopping");
    }, System::gc, (image, message) -> {}, Duration.ZERO, Duration.ZERO);

    probes.probe("Clean.jar", new WeakReference<>(new ClassLoader() {}));

    assertThat(probes.awaitIdle(Duration.ZERO)).isTrue();
    assertThat(probes.statistics().abandoned()).isEqualTo(1);
  }

  @Test
  void DV8_whatHoldsALoaderUnseenIsAnUnknownReferenceWithTheHeapDumpHintAndTheHookLimit() {
    ClassLoader loader = new ClassLoader("image:Held.jar", null) {};

    String unreadableHooks = LoaderHolders.of(Map.of(), Optional.empty()).describe(loader);
    String noHooks = LoaderHolders.of(Map.of(), Optional.of(List.of())).describe(loader);

    assertThat(unreadableHooks).startsWith(LoaderHolders.UNKNOWN).contains(
        "a shutdown hook cannot be ruled out",
        "--add-opens java.base/java.lang=ALL-UNNAMED",
        "GC.heap_dump", "named \"image:Held.jar\"");
    assertThat(noHooks).startsWith(LoaderHolders.UNKNOWN)
        .contains("no live thread of the image and no shutdown hook of it", "GC.heap_dump")
        .doesNotContain("cannot be ruled out");
  }
}
