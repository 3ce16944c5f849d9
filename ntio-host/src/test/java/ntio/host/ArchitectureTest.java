package ntio.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host's side of the API line: the daemon, the command line and the shell are clients of
 * {@code ntio-api}, and reach the kernel only through its boot classes.
 *
 * <p>The host file system's primitives the daemon shares with the kernel (exact-mode files, trusted
 * paths) are module {@code ntio.hostfs}, not a kernel package, so they need no entry here.
 */
class ArchitectureTest {

  /**
   * What booting and serving a kernel takes: the boot, its configuration, the in-process client,
   * and the rest of the top-level package's surface for a host, typed with API, DDK and JDK types
   * (a client's quota, the system drivers, the crash reports, code integrity, the .reg format, an
   * image's check before install).
   */
  private static final Set<String> BOOT = Set.of(
      "ntio.kernel.Kernel",
      "ntio.kernel.KernelConfig",
      "ntio.kernel.LocalNt",
      "ntio.kernel.EmbeddedKernels",
      "ntio.kernel.ProcessQuota",
      "ntio.kernel.CrashDumps",
      "ntio.kernel.SystemDrivers",
      "ntio.kernel.CodeIntegrityRegistry",
      "ntio.kernel.DriverImages",
      "ntio.kernel.RegFiles");

  private static JavaClasses host;

  @BeforeAll
  static void importHostClasses() {
    host = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("ntio.host");
  }

  @Test
  void theWireProtocolIsWrittenAgainstTheApiAlone() {
    noClasses().that().resideInAPackage("ntio.host.wire..")
        .should().dependOnClassesThat().resideInAPackage("ntio.kernel..")
        .check(host);
  }

  @Test
  void theHostReachesTheKernelOnlyThroughTheBoot() {
    classes().that().resideInAPackage("ntio.host..")
        .should().onlyDependOnClassesThat(outsideTheKernelOr(BOOT))
        .check(host);
  }

  private static DescribedPredicate<JavaClass> outsideTheKernelOr(Set<String> boot) {
    return DescribedPredicate.describe("outside ntio.kernel, or one of the boot classes",
        type -> !type.getPackageName().startsWith("ntio.kernel") || allowed(type.getName(), boot));
  }

  /** Whether {@code name} is one of {@code classes} or nested in one. */
  private static boolean allowed(String name, Set<String> classes) {
    int nested = name.indexOf('$');
    return classes.contains(nested < 0 ? name : name.substring(0, nested));
  }
}
