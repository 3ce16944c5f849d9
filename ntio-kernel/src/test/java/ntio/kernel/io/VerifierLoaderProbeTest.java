package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.verifier.LoaderProbeStatistics;
import ntio.kernel.verifier.Verifier;
import ntio.kernel.verifier.probe.CleanDriver;
import ntio.kernel.verifier.probe.HookLeavingDriver;
import ntio.kernel.verifier.probe.ThreadLeavingDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DV8's class-loader probe through real driver images: when a verified image is unmapped, the
 * verifier proves on a System worker that its class loader became unreachable, sharing one
 * garbage collection among images unmapped together, and records a non-fatal finding naming the
 * thread or shutdown hook that keeps a leaking image's loader alive.
 */
@Timeout(60)
class VerifierLoaderProbeTest {

  private static final Duration PROBES = Duration.ofSeconds(30);

  @TempDir Path state;

  private IoLab lab;
  private Verifier verifier;

  @BeforeEach
  void boot() {
    // HookLeavingDriver registers a shutdown hook, which the image policy refuses at load; the
    // probe is the second line behind it, so these kernels load what the policy would refuse.
    lab = IoLab.boot(KernelConfig.of(state).withDeniedMembersUnenforced());
    verifier = lab.kernel.io().verifier();
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    try {
      lab.close();
    } finally {
      stopLingerers();
      removeProbeHooks();
    }
  }

  /** Writes {@code <service>.jar} with {@code entry} as its entry class and installs the service. */
  private void install(String service, Class<?> entry) {
    DriverJars.driver(state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers"),
        service + ".jar", entry);
    lab.installService(service, service + ".jar");
  }

  private void verify(String images) {
    verifier.setVolatileSettings(VerifierSettings.parse(images, VerifierSettings.STANDARD_FLAGS));
  }

  private void loadAndUnload(String service) {
    assertThat(lab.load(service)).as("load %s", service).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.unload(service)).as("unload %s", service).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void DV8_anUnloadedImagesClassLoaderIsProvenUnreachable() {
    verify("Clean.jar");
    install("Clean", CleanDriver.class);

    loadAndUnload("Clean");

    assertThat(verifier.awaitLoaderProbes(PROBES)).as("the probe finished").isTrue();
    LoaderProbeStatistics probes = verifier.loaderProbeStatistics();
    assertThat(probes.probes()).isEqualTo(1);
    assertThat(probes.provenUnreachable()).isEqualTo(1);
    assertThat(probes.stillReachable()).isZero();
    assertThat(probes.collections()).isGreaterThanOrEqualTo(1);
    assertThat(verifier.findings()).isEmpty();
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void DV8_aLoaderHeldByAThreadTheImageStartedIsReportedNamingTheThread() {
    verify("Lingering.jar");
    install("Lingering", ThreadLeavingDriver.class);

    loadAndUnload("Lingering");

    assertThat(verifier.awaitLoaderProbes(PROBES)).as("the probe finished").isTrue();
    assertThat(verifier.loaderProbeStatistics().stillReachable()).isEqualTo(1);
    List<VerifierFinding> findings = verifier.findings();
    assertThat(findings).hasSize(1);
    VerifierFinding finding = findings.get(0);
    assertThat(finding.imageName()).isEqualTo("Lingering.jar");
    assertThat(finding.check()).isEqualTo(Verifier.LOADER_REACHABLE);
    assertThat(finding.message()).contains("Lingering.jar was unmapped",
        "class loader \"image:Lingering.jar\" is still reachable",
        "thread \"" + ThreadLeavingDriver.THREAD_NAME + "\"",
        "it is running " + ThreadLeavingDriver.class.getName() + "$Lingerer.run(");
    // Non-fatal: the kernel goes on.
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
    verify("");
    install("Clean", CleanDriver.class);
    loadAndUnload("Clean");
  }

  @Test
  void DV8_aShutdownHookTheImageRegisteredIsReportedNamingTheHook() {
    verify("Hooking.jar");
    install("Hooking", HookLeavingDriver.class);

    loadAndUnload("Hooking");

    assertThat(verifier.awaitLoaderProbes(PROBES)).as("the probe finished").isTrue();
    assertThat(verifier.findings()).singleElement().satisfies(finding -> {
      assertThat(finding.imageName()).isEqualTo("Hooking.jar");
      assertThat(finding.check()).isEqualTo(Verifier.LOADER_REACHABLE);
      assertThat(finding.message()).contains(
          "shutdown hook \"" + HookLeavingDriver.HOOK_NAME + "\"",
          "it is a " + HookLeavingDriver.class.getName() + "$Hook, a class of the image");
    });
  }

  @Test
  void DV8_probesOfImagesUnmappedTogetherShareOneGc() {
    verify("*");
    List<String> services = List.of("CleanA", "CleanB", "CleanC");
    for (String service : services) {
      install(service, CleanDriver.class);
      assertThat(lab.load(service)).as("load %s", service).isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    for (String service : services) {
      assertThat(lab.unload(service)).as("unload %s", service).isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(verifier.awaitLoaderProbes(PROBES)).as("the probes finished").isTrue();
    LoaderProbeStatistics probes = verifier.loaderProbeStatistics();
    assertThat(probes.probes()).isEqualTo(3);
    assertThat(probes.provenUnreachable()).isEqualTo(3);
    assertThat(probes.batches()).as("batches").isEqualTo(1);
    assertThat(probes.collections()).as("System.gc() calls").isEqualTo(1);
    assertThat(verifier.findings()).isEmpty();
  }

  @Test
  void DV8_anImageThatIsNotVerifiedIsNotProbed() {
    verify("Other.jar");
    install("Clean", CleanDriver.class);

    loadAndUnload("Clean");

    assertThat(verifier.awaitLoaderProbes(PROBES)).isTrue();
    assertThat(verifier.loaderProbeStatistics())
        .isEqualTo(new LoaderProbeStatistics(0, 0, 0, 0, 0, 0));
  }

  /** Ends the threads ThreadLeavingDriver started: it sleeps until interrupted. */
  private static void stopLingerers() throws InterruptedException {
    List<Thread> lingerers = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(ThreadLeavingDriver.THREAD_NAME)) {
        lingerers.add(thread);
        thread.interrupt();
      }
    }
    for (Thread thread : lingerers) {
      thread.join(10_000);
      assertThat(thread.isAlive()).as("%s ended", thread).isFalse();
    }
  }

  /** Removes the hooks HookLeavingDriver registered; needs java.lang opened, as the pom does. */
  private static void removeProbeHooks() {
    List<Thread> hooks = new ArrayList<>();
    try {
      Class<?> registry = Class.forName("java.lang.ApplicationShutdownHooks");
      Field field = registry.getDeclaredField("hooks");
      field.setAccessible(true);
      synchronized (registry) {
        for (Object hook : ((Map<?, ?>) field.get(null)).keySet()) {
          if (((Thread) hook).getName().equals(HookLeavingDriver.HOOK_NAME)) {
            hooks.add((Thread) hook);
          }
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read the JVM's shutdown hooks", e);
    }
    hooks.forEach(Runtime.getRuntime()::removeShutdownHook);
  }
}
