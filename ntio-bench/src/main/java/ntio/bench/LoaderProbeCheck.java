package ntio.bench;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.DriverLoader;
import ntio.kernel.loader.ImagePolicy;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.verifier.LoaderProbe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the verifier's unload-time class-loader check (DV8) costs: unmapping {@code images} image
 * class loaders and proving them unreachable, with one {@link LoaderProbe#check} for the whole
 * batch (one {@code System.gc()} when all are collected), or unmapping and probing each image in
 * turn, as an unbatched check at each unmap would.
 *
 * <p>Each invocation gets its own loaders, made in an untimed setup: copies of the Null image
 * mapped by the kernel's {@link DriverLoader}, their entry class defined and constructed (so the
 * image links against the DDK as a loaded driver does). The timed part unmaps them (a few
 * microseconds each) and probes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LoaderProbeCheck {

  /** Unmapped image loaders, new for every invocation. */
  @State(Scope.Thread)
  public static class Unmapped {
    /** How many images were unmapped together. */
    @Param({"1", "10"})
    public int images;

    Path directory;
    DriverLoader loader;
    List<LoadedImage> mapped;
    List<WeakReference<ClassLoader>> loaders;

    /** Writes {@code images} copies of Null.jar; not timed. */
    @Setup(Level.Trial)
    public void writeImages() throws IOException {
      directory = Files.createTempDirectory("ntio-probe-bench");
      Path drivers = directory.resolve("System32").resolve("drivers");
      for (int i = 0; i < images; i++) {
        DriverImage.NULL.writeTo(drivers.resolve("Null" + i + ".jar"));
      }
      loader = new DriverLoader(directory, ImagePolicy.defaults(directory));
    }

    /** Maps and links every image; not timed. */
    @Setup(Level.Invocation)
    public void mapImages() {
      mapped = new ArrayList<>(images);
      loaders = new ArrayList<>(images);
      for (int i = 0; i < images; i++) {
        DriverLoader.MapResult result = loader.map("Null" + i, "\\SystemRoot\\System32\\drivers\\Null" + i + ".jar");
        if (!result.status().isSuccess()) {
          throw new IllegalStateException("map Null" + i + ".jar: " + result.status() + " " + result.detail());
        }
        LoadedImage image = result.image();
        if (!image.newEntryPoint().status().equals(NtStatus.STATUS_SUCCESS)) {
          throw new IllegalStateException("the entry point of Null" + i + ".jar");
        }
        mapped.add(image);
        loaders.add(image.unloadedLoaderReference());
      }
    }

    /** Checks that the probe proved every loader unreachable. */
    @TearDown(Level.Invocation)
    public void checkCollected() {
      for (LoadedImage image : mapped) {
        if (image.isMapped()) {
          loader.unmap(image);
        }
      }
      for (WeakReference<ClassLoader> reference : loaders) {
        if (!reference.refersTo(null)) {
          throw new IllegalStateException("an unmapped image loader was not collected");
        }
      }
    }

    /** Removes the images. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  /** One probe for the whole batch: the verifier's way. */
  @Benchmark
  public LoaderProbe.Outcome batched(Unmapped state) {
    for (LoadedImage image : state.mapped) {
      state.loader.unmap(image);
    }
    LoaderProbe.Outcome outcome = LoaderProbe.check(state.loaders);
    if (!outcome.allUnreachable()) {
      throw new IllegalStateException("still reachable: " + outcome.reachable());
    }
    return outcome;
  }

  /** One probe per image, as an unbatched check at each unmap would make. */
  @Benchmark
  public int oneByOne(Unmapped state) {
    int collections = 0;
    for (int i = 0; i < state.images; i++) {
      state.loader.unmap(state.mapped.get(i));
      LoaderProbe.Outcome outcome = LoaderProbe.check(List.of(state.loaders.get(i)));
      if (!outcome.allUnreachable()) {
        throw new IllegalStateException("still reachable: " + outcome.reachable());
      }
      collections += outcome.collections();
    }
    return collections;
  }
}
