package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.verifier.Verifier;
import ntio.kernel.verifier.faults.FaultLabDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pool misuse by a verified driver (DV5, T33, T35), through a real image whose DriverEntry makes
 * the bad call: each is the bug check NT's verifier gives, naming the image; an unverified driver
 * keeps the statuses and the pool's own bug checks.
 */
@Timeout(60)
class VerifierPoolMisuseTest {

  private static final String SERVICE = "FaultLab";
  private static final String IMAGE = "FaultLab.jar";

  @TempDir Path state;

  private FaultLab faults;

  @BeforeEach
  void boot() {
    faults = new FaultLab(state);
  }

  @AfterEach
  void shutDown() {
    faults.close();
  }

  private BugCheck verifiedLoadBugChecks(String mode) {
    faults.verifier.setVolatileSettings(VerifierSettings.parse(IMAGE, VerifierSettings.STANDARD_FLAGS));
    faults.install(SERVICE, mode);

    assertThat(faults.lab.load(SERVICE)).as("the kernel halted on the bug check")
        .isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    BugCheck found = faults.lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.driver()).isEqualTo(IMAGE);
    return found;
  }

  @Test
  void T33_aZeroTagFromAVerifiedDriverIsBugCheck0xC2_0x9BWithTypeAndSize() {
    BugCheck found = verifiedLoadBugChecks("zeroTag");

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(Verifier.BAD_POOL_CALLER_ZERO_TAG).isEqualTo(0x9B);
    assertThat(found.parameter2()).as("pool type").isEqualTo(PoolType.NON_PAGED.ntValue());
    assertThat(found.parameter3()).as("bytes").isEqualTo(16);
    assertThat(found.message()).contains("pool tag of 0");
  }

  @Test
  void DV5_aTagWithNoLetterOrDigitIsBugCheck0xC2_0x9DWithTheTag() {
    BugCheck found = verifiedLoadBugChecks("noLetterTag");

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(0x9D);
    assertThat(found.parameter2()).isEqualTo(Integer.toUnsignedLong(PoolTag.of("!# ")));
    assertThat(found.message()).contains("no letter or digit");
  }

  @Test
  void DV5_aZeroByteAllocationIsBugCheck0xC4_0x00() {
    BugCheck found = verifiedLoadBugChecks("zeroSize");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(Verifier.ZERO_BYTE_ALLOCATION).isEqualTo(0x00);
    assertThat(found.parameter3()).as("pool type").isEqualTo(PoolType.NON_PAGED.ntValue());
    assertThat(found.message()).contains("zero-byte allocation", "'FltL'");
  }

  @Test
  void T33_freeingWithAnotherTagThanTheAllocatorsIsBugCheck0xC2_0x0A() {
    BugCheck found = verifiedLoadBugChecks("wrongTag");

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(0x0A);
    assertThat(found.parameter3()).as("allocator's tag").isEqualTo(Integer.toUnsignedLong(FaultLabDriver.TAG));
    assertThat(found.parameter4()).as("tag passed").isEqualTo(Integer.toUnsignedLong(PoolTag.of("Othr")));
  }

  @Test
  void T35_aDoubleFreeIsBugCheck0xC4_0x13WithThePoolHeader() {
    BugCheck found = verifiedLoadBugChecks("doubleFree");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(Verifier.FREE_OF_FREED_POOL).isEqualTo(0x13);
    assertThat(found.parameter3() % 16).as("the header's address, 16-byte aligned").isZero();
    assertThat(found.parameter4() >>> 32).as("the header's tag").isEqualTo(Integer.toUnsignedLong(FaultLabDriver.TAG));
    assertThat(found.message()).contains("already freed", "freed)");
  }

  @Test
  void T35_freeingABlockNoAllocationReturnedIsBugCheck0xC4_0x10WithItsAddress() {
    BugCheck found = verifiedLoadBugChecks("foreignFree");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(Verifier.FREE_OF_UNALLOCATED_ADDRESS).isEqualTo(0x10);
    assertThat(found.parameter2()).isEqualTo(0xFFFFB000_00001000L);
    assertThat(found.message()).contains("which no allocation of its returned", "not a pool block");
  }

  @Test
  void DV5_anUnverifiedDriverGetsStatusInvalidParameterForAZeroTag() {
    faults.install(SERVICE, "zeroTag");

    assertThat(faults.lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(faults.observed(SERVICE).status("Status")).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(faults.lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void DV5_anUnverifiedDoubleFreeIsStillThePoolsBugCheck0xC2_0x07() {
    faults.install(SERVICE, "doubleFree");

    assertThat(faults.lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = faults.lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(0x07);
  }
}
