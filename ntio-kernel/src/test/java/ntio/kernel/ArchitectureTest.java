package ntio.kernel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module table of architecture.md and the layering inside the kernel, as executable rules.
 *
 * <p>Inside the kernel, components sit in layers, each allowed to use only those below it:
 * {@code security} (a leaf), {@code objects}, {@code executive}, then {@code registry} and
 * {@code process}, then {@code io}, {@code loader} and {@code verifier}; the {@code ntio.kernel}
 * package itself (the {@code Kernel} that boots them) sees everything.
 */
class ArchitectureTest {

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("ntio");
  }

  @Test
  void theDdkUsesNothingButTheJdk() {
    classes().that().resideInAPackage("ntio.ddk..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("ntio.ddk..", "java..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void theHostFilePrimitivesUseNothingButTheJdk() {
    classes().that().resideInAPackage("ntio.hostfs..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("ntio.hostfs..", "java..")
        .check(main);
  }

  @Test
  void theApiUsesNothingButTheDdkAndTheJdk() {
    classes().that().resideInAPackage("ntio.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("ntio.api..", "ntio.ddk..", "java..")
        .check(main);
  }

  @Test
  void theFrameworkIsAClientOfTheDdkAndNothingElse() {
    // The framework is on this module's test classpath, so the rule is never vacuous here. Error
    // Prone's @GuardedBy is a compile-time annotation: nothing loads it at run time.
    classes().that().resideInAPackage("ntio.framework..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("ntio.framework..", "ntio.ddk..", "java..",
            "com.google.errorprone.annotations..")
        .check(main);
  }

  @Test
  void nothingOutsideTheKernelAndHostSeesKernelInternals() {
    noClasses().that().resideInAnyPackage("ntio.ddk..", "ntio.api..", "ntio.hostfs..", "ntio.framework..",
            "ntio.drivers..")
        .should().dependOnClassesThat().resideInAPackage("ntio.kernel..")
        .allowEmptyShould(true)
        .check(main);
  }

  /**
   * Issue 16: no mutable driver or device life state outside the two state machines, and one
   * writer for them and for what the unload decisions read with them (a device's ReferenceCount and
   * file-system registration, a driver's load order and, at its delete, its client extensions).
   */
  @Test
  void theUnloadPolicyIsTheOneWriterOfDriverAndDeviceLife() {
    Set<String> owners = Set.of("ntio.kernel.io.KernelDeviceObject", "ntio.kernel.io.KernelDriverObject");
    Set<String> writes = Set.of("moveToLocked", "incrementReferenceCountLocked",
        "decrementReferenceCountLocked", "setRegisteredFileSystemLocked", "setLoadOrder",
        "clearClientExtensionsLocked", "setPnpRemovalLocked");
    noClasses().that().doNotHaveFullyQualifiedName("ntio.kernel.io.UnloadPolicy")
        .should().callMethodWhere(DescribedPredicate.describe(
            "a write of a driver's or a device's life state",
            (JavaMethodCall call) -> owners.contains(call.getTargetOwner().getName())
                && writes.contains(call.getName())))
        .check(main);
  }

  @Test
  void kernelComponentsFormNoCycles() {
    slices().matching("ntio.kernel.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(main);
  }

  @Test
  void securityIsALeaf() {
    noClasses().that().resideInAPackage("ntio.kernel.security..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.objects..", "ntio.kernel.executive..", "ntio.kernel.registry..",
            "ntio.kernel.process..", "ntio.kernel.io..", "ntio.kernel.loader..", "ntio.kernel.verifier..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void theObjectManagerUsesOnlySecurity() {
    noClasses().that().resideInAPackage("ntio.kernel.objects..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.executive..", "ntio.kernel.registry..", "ntio.kernel.process..",
            "ntio.kernel.io..", "ntio.kernel.loader..", "ntio.kernel.verifier..")
        .allowEmptyShould(true)
        .check(main);
  }

  /** Issue 19: the dispatcher core (IRQL, spin locks, DPCs) sits below the I/O manager and the verifier. */
  @Test
  void theDispatcherCoreSitsBelowTheIoManager() {
    noClasses().that().resideInAPackage("ntio.kernel.ke..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.registry..", "ntio.kernel.io..", "ntio.kernel.loader..", "ntio.kernel.verifier..",
            "ntio.kernel.pnp..", "ntio.kernel.objects..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void theExecutiveSitsBelowTheRegistryProcessesAndIo() {
    noClasses().that().resideInAPackage("ntio.kernel.executive..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.registry..", "ntio.kernel.process..", "ntio.kernel.io..",
            "ntio.kernel.loader..", "ntio.kernel.verifier..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void theRegistryAndProcessesDoNotUseEachOtherOrTheIoManager() {
    noClasses().that().resideInAPackage("ntio.kernel.registry..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.process..", "ntio.kernel.io..", "ntio.kernel.loader..", "ntio.kernel.verifier..")
        .allowEmptyShould(true)
        .check(main);
    noClasses().that().resideInAPackage("ntio.kernel.process..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.registry..", "ntio.kernel.io..", "ntio.kernel.loader..", "ntio.kernel.verifier..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void theLoaderKnowsImagesNotTheObjectsMadeFromThem() {
    noClasses().that().resideInAPackage("ntio.kernel.loader..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ntio.kernel.objects..", "ntio.kernel.registry..", "ntio.kernel.process..",
            "ntio.kernel.io..", "ntio.kernel.verifier..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void theVerifierIsCalledByTheIoManagerAndNeverCallsIt() {
    noClasses().that().resideInAPackage("ntio.kernel.verifier..")
        .should().dependOnClassesThat().resideInAnyPackage("ntio.kernel.io..")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void noComponentUsesTheKernelFacade() {
    noClasses().that().resideInAPackage("ntio.kernel.*..")
        .should().dependOnClassesThat().resideInAPackage("ntio.kernel")
        .allowEmptyShould(true)
        .check(main);
  }

  @Test
  void noStaticFieldIsMutable() {
    // A kernel is an instance: ten kernels in one JVM must share nothing that changes.
    fields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage("ntio..")
        .should().beFinal()
        .allowEmptyShould(true)
        .check(main);
  }
}
