package ntio.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import ntio.ddk.DriverEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the driver images the build leaves in {@code target/drivers}. */
class DriverJarsIT {

  private static final Path DRIVERS =
      Path.of(System.getProperty("ntio.drivers.directory", "target/drivers"));

  /** The files jarsigner adds for the build's test-signing key (signature file NTIOTEST, EC key). */
  private static final Set<String> SIGNATURE_FILES =
      Set.of("META-INF/NTIOTEST.SF", "META-INF/NTIOTEST.EC");

  static Stream<Arguments> images() {
    return Stream.concat(legacyImages(), wdmImages());
  }

  /** The images of legacy drivers ({@code Ntio-Wdm: false}). */
  static Stream<Arguments> legacyImages() {
    return Stream.of(
        Arguments.of("Null.jar", "ntio.drivers.nul", "NullDriver", "null"),
        Arguments.of("Echo.jar", "ntio.drivers.echo", "EchoDriver", "echo"),
        Arguments.of("Filter.jar", "ntio.drivers.filter", "FilterDriver", "filter"),
        Arguments.of("Leaky.jar", "ntio.drivers.leaky", "LeakyDriver", "leaky"),
        Arguments.of("Tidy.jar", "ntio.drivers.tidy", "TidyDriver", "tidy"),
        Arguments.of("Stale.jar", "ntio.drivers.stale", "StaleDriver", "stale"),
        Arguments.of("IrqlMistakes.jar", "ntio.drivers.irqlmistakes", "IrqlMistakesDriver", "irqlmistakes"));
  }

  /** The images of PnP drivers ({@code Ntio-Wdm: true}), which the PnP manager loads for devices. */
  static Stream<Arguments> wdmImages() {
    return Stream.of(
        Arguments.of("ToasterBus.jar", "ntio.drivers.toaster.bus", "ToasterBusDriver", "toasterbus"),
        Arguments.of("ToasterFilter.jar", "ntio.drivers.toaster.filter", "ToasterFilterDriver", "toasterfilter"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void theImageHoldsOnlyItsOwnPackagesClassesItsManifestAndItsSignature(
      String file, String pkg, String entry, String classifier) throws IOException {
    String dir = pkg.replace('.', '/') + "/";
    try (JarFile jar = new JarFile(DRIVERS.resolve(file).toFile())) {
      List<String> files = new ArrayList<>();
      for (JarEntry e : Collections.list(jar.entries())) {
        if (!e.isDirectory()) {
          files.add(e.getName());
        }
      }

      assertThat(files).contains("META-INF/MANIFEST.MF", dir + entry + ".class");
      assertThat(files)
          .allSatisfy(
              name ->
                  assertThat(
                          name.equals("META-INF/MANIFEST.MF")
                              || SIGNATURE_FILES.contains(name)
                              || (name.startsWith(dir)
                                  && name.endsWith(".class")
                                  && name.indexOf('/', dir.length()) < 0))
                      .as("%s belongs in %s", name, file)
                      .isTrue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wdmImages")
  void theManifestOfAPnpDriverNamesTheEntryClassAndAWdmDriver(
      String file, String pkg, String entry, String classifier) throws IOException {
    assertManifest(file, pkg + "." + entry, "true");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("legacyImages")
  void theManifestNamesTheEntryClassAndALegacyDriver(
      String file, String pkg, String entry, String classifier) throws IOException {
    assertManifest(file, pkg + "." + entry, "false");
  }

  private static void assertManifest(String file, String entryClass, String wdm) throws IOException {
    try (JarFile jar = new JarFile(DRIVERS.resolve(file).toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();

      assertThat(main.getValue("Ntio-Driver-Entry")).isEqualTo(entryClass);
      assertThat(main.getValue("Ntio-Wdm")).isEqualTo(wdm);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void noClassRefersToAnythingButJavaTheDdkTheFrameworkAndItsOwnPackage(
      String file, String pkg, String entry, String classifier) throws IOException {
    String own = pkg.replace('.', '/') + "/";
    Set<String> foreign = new TreeSet<>();
    int classes = 0;
    try (JarFile jar = new JarFile(DRIVERS.resolve(file).toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        if (!e.getName().endsWith(".class")) {
          continue;
        }
        classes++;
        byte[] bytes;
        try (InputStream in = jar.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        for (String ref : ClassFileReferences.of(bytes)) {
          boolean allowed =
              ref.startsWith("java/")
                  || ref.startsWith("ntio/ddk/")
                  || ref.startsWith("ntio/framework/")
                  || (ref.startsWith(own) && ref.indexOf('/', own.length()) < 0);
          if (!allowed) {
            foreign.add(e.getName() + " -> " + ref);
          }
        }
      }
    }

    assertThat(classes).isPositive();
    assertThat(foreign).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void everyClassLoadsFromTheImageAloneAndTheEntryIsAPublicDriverEntry(
      String file, String pkg, String entry, String classifier) throws Exception {
    try (JarFile jar = new JarFile(DRIVERS.resolve(file).toFile())) {
      ImageOnlyClassLoader loader =
          new ImageOnlyClassLoader(jar, DriverEntry.class.getClassLoader());
      for (JarEntry e : Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.endsWith(".class")) {
          String className = name.substring(0, name.length() - 6).replace('/', '.');
          assertThat(Class.forName(className, false, loader).getClassLoader()).isSameAs(loader);
        }
      }

      Class<?> entryClass = Class.forName(pkg + "." + entry, true, loader);
      Object instance = entryClass.getConstructor().newInstance();

      assertThat(instance).isInstanceOf(DriverEntry.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void theImageIsTheSameFileAsTheJarOfItsClassifier(
      String file, String pkg, String entry, String classifier) throws IOException {
    Path target = DRIVERS.getParent();
    try (Stream<Path> jars = Files.list(target)) {
      List<Path> classified =
          jars.filter(p -> p.getFileName().toString().endsWith("-" + classifier + ".jar")).toList();

      assertThat(classified).hasSize(1);
      assertThat(Files.mismatch(classified.get(0), DRIVERS.resolve(file))).isEqualTo(-1L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void theImageIsWhollySignedByTheBuildsTestCertificate(
      String file, String pkg, String entry, String classifier) throws Exception {
    java.security.cert.Certificate testCertificate;
    try (InputStream in = Files.newInputStream(DRIVERS.resolve("ntio-test-signing.cer"))) {
      testCertificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    try (JarFile jar = new JarFile(DRIVERS.resolve(file).toFile(), true)) {
      List<String> signed = new ArrayList<>();
      for (JarEntry e : Collections.list(jar.entries())) {
        if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
          continue;
        }
        try (InputStream in = jar.getInputStream(e)) {
          in.readAllBytes(); // verifies the entry's digest; a mismatch throws
        }
        java.security.CodeSigner[] signers = e.getCodeSigners();
        assertThat(signers).as("signers of %s", e.getName()).hasSize(1);
        assertThat(signers[0].getSignerCertPath().getCertificates().get(0)).isEqualTo(testCertificate);
        signed.add(e.getName());
      }
      assertThat(signed).contains(pkg.replace('.', '/') + "/" + entry + ".class");
    }
  }
}
