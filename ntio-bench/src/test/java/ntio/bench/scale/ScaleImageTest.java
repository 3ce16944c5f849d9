package ntio.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import ntio.bench.DriverImage;
import org.junit.jupiter.api.Test;

class ScaleImageTest {

  @Test
  void theImageIsTheScaleDriversOneClassFileNamedAsItsEntry() throws Exception {
    List<String> entries = new ArrayList<>();
    try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(ScaleImage.bytes()))) {
      assertThat(jar.getManifest().getMainAttributes().getValue(DriverImage.ENTRY_ATTRIBUTE))
          .isEqualTo(ScaleDriver.class.getName());
      for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
        entries.add(entry.getName());
      }
    }

    // One class: no lambda, no nested class, nothing a fresh loader would link anew per copy.
    assertThat(entries).filteredOn(name -> name.endsWith(".class"))
        .containsExactly("ntio/bench/scale/ScaleDriver.class");
  }

  @Test
  void theImageIsTheSameBytesEveryTime() {
    assertThat(ScaleImage.bytes()).isEqualTo(ScaleImage.bytes());
  }
}
