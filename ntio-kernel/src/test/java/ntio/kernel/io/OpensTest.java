package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening devices of real driver images: the device and driver checks (B36), the create sent to the
 * top of the stack, a driver failing it and the device's security (B37), and the default handler of
 * a major function the driver did not set (T16). The samples' side of B37 is in
 * {@link SampleDriversTest}.
 *
 * <p>A delete-pending device cannot be reached by name (its name goes with IoDeleteDevice, B25), so
 * B36's delete-pending refusal is seen as B38's STATUS_OBJECT_NAME_NOT_FOUND in {@link DevicesTest}.
 */
@Timeout(30)
class OpensTest {

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private int referenceCount(String device) {
    return lab.device(device, DeviceObject::referenceCount);
  }

  // The file object ---------------------------------------------------------------------------

  @Test
  void aDirectOpenSharesTheOneEmptyFileNameAndAnOpenPastTheDeviceKeepsItsOwn() {
    lab.lab("LabA").entry("create x \\Device\\LabX").load();
    IoLab.Open direct = lab.open("\\Device\\LabX", "LabA");
    IoLab.Open named = lab.open("\\Device\\LabX\\inside", "LabA");

    // Shared: a process holding 100,000 handles to a device holds no 100,000 empty names.
    assertThat(fileOf(direct).fileName()).isSameAs(UnicodeString.empty());
    // FileName keeps its separator (Wine ntoskrnl.c test_object_info: FileNameInformation is \\subfile).
    assertThat(fileOf(named).fileName().text()).isEqualTo("\\inside");
    direct.close();
    named.close();
  }

  private KernelFileObject fileOf(IoLab.Open open) {
    ObjectManager.Referenced<KernelFileObject> file = lab.kernel.objects().referenceByHandle(open.handle, 0,
        lab.kernel.io().fileType(), open.client);
    assertThat(file.isSuccess()).isTrue();
    file.object().dereference();
    return file.object();
  }

  // B36 IopCheckDeviceAndDriver -----------------------------------------------------------------

  @Test
  void B36_anInitializingDeviceCannotBeOpenedUntilItsDriverClearsTheFlag() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");
    ctl.run("create x \\Device\\LabX");

    assertThat(lab.open(lab.admin, "\\Device\\LabX", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(referenceCount("\\Device\\LabX")).isZero();
    assertThat(lab.observed("LabA").count("x.IRP_MJ_CREATE")).isZero();

    ctl.run("ready x");

    IoLab.Open x = lab.open("\\Device\\LabX", "LabA");
    assertThat(referenceCount("\\Device\\LabX")).isEqualTo(1);
    x.close();
    ctl.close();
  }

  @Test
  void B36_aSecondOpenOfAnExclusiveDeviceIsAccessDeniedAndLeavesTheCountAlone() {
    lab.lab("LabA").entry("create x \\Device\\LabX excl").load();
    KThread other = lab.kernel.administratorSession("other", Sid.unixUser(1001));
    IoLab.Open first = lab.open("\\Device\\LabX", "LabA");

    assertThat(lab.open(other, "\\Device\\LabX", IoLab.READ_WRITE).status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(lab.open(lab.admin, "\\Device\\LabX", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);

    assertThat(referenceCount("\\Device\\LabX")).isEqualTo(1);
    assertThat(lab.observed("LabA").count("x.IRP_MJ_CREATE")).as("refused before any create").isEqualTo(1);

    first.close();
    IoLab.Open again = lab.open(other, "\\Device\\LabX", "LabA");
    assertThat(referenceCount("\\Device\\LabX")).isEqualTo(1);
    again.close();
  }

  @Test
  void B36_B38_aDeviceWhoseDriverIsUnloadPendingRefusesNewOpensButServesOpenHandles() {
    lab.lab("LabA").entry("create x \\Device\\LabX").load();
    IoLab.Open x = lab.open("\\Device\\LabX", "LabA");

    assertThat(lab.unload("LabA")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.deviceExists("\\Device\\LabX")).as("the name still resolves").isTrue();
    assertThat(lab.open(lab.admin, "\\Device\\LabX", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(referenceCount("\\Device\\LabX")).isEqualTo(1);
    x.run("driver served");
    assertThat(lab.observed("LabA").has("served.Flags")).isTrue();
    assertThat(lab.observed("LabA").has("Unload.Count")).isFalse();

    x.close();
    lab.awaitUnloaded("LabA");
    assertThat(lab.observed("LabA").dword("Unload.Count")).isEqualTo(1);
  }

  // B37 the create, its failure, the security check ------------------------------------------------

  @Test
  void B37_theCreateGoesToTheTopOfTheStackBeforeTheDeviceOpened() {
    lab.lab("LabE").entry("create e \\Device\\LabE").load();
    lab.lab("LabF").entry("create ctl \\Device\\LabFCtl", "create f -", "passdown f").load();
    IoLab.Open ctl = lab.open("\\Device\\LabFCtl", "LabF");
    ctl.run("attachname f \\Device\\LabE r");
    IoLab.Observed lower = lab.observed("LabE");
    IoLab.Observed filter = lab.observed("LabF");
    int lowerCreates = lower.count("e.IRP_MJ_CREATE");
    assertThat(filter.count("f.IRP_MJ_CREATE")).isZero();

    IoLab.Open e = lab.open("\\Device\\LabE", "LabE");

    assertThat(filter.count("f.IRP_MJ_CREATE")).isEqualTo(1);
    assertThat(lower.count("e.IRP_MJ_CREATE")).as("passed down by f").isEqualTo(lowerCreates + 1);

    ctl.run("failcreate f 0xC00000A3");
    OpenResult refused = lab.open(lab.admin, "\\Device\\LabE", IoLab.READ_WRITE);

    assertThat(refused.status()).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(filter.count("f.IRP_MJ_CREATE")).isEqualTo(2);
    assertThat(lower.count("e.IRP_MJ_CREATE")).as("f completed it first").isEqualTo(lowerCreates + 1);
    assertThat(referenceCount("\\Device\\LabE")).isEqualTo(1);
    e.close();
    ctl.close();
  }

  @Test
  void B37_aDriverFailingTheCreateFailsTheOpenWithItsStatusAndGetsNoClose() {
    lab.lab("LabA").entry("create x \\Device\\LabX", "failcreate x 0xC0000184").load();

    assertThat(lab.open(lab.admin, "\\Device\\LabX", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_INVALID_DEVICE_STATE);

    assertThat(referenceCount("\\Device\\LabX")).isZero();
    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.count("x.IRP_MJ_CREATE")).isEqualTo(1);
    assertThat(seen.count("x.IRP_MJ_CLEANUP")).isZero();
    assertThat(seen.count("x.IRP_MJ_CLOSE")).isZero();
  }

  @Test
  void B37_theDevicesSecurityLetsAStandardUserReadAndWriteButNotChangeItsDacl() {
    lab.lab("LabA").entry("create x \\Device\\LabX").load();
    KThread user = lab.kernel.userSession("user", Sid.unixUser(2000));

    IoLab.Open opened = lab.open(user, "\\Device\\LabX", "LabA");
    OpenResult writeDac = lab.open(user, "\\Device\\LabX", AccessMask.WRITE_DAC);

    assertThat(writeDac.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(referenceCount("\\Device\\LabX")).as("the refused open gave its count back").isEqualTo(1);
    assertThat(lab.observed("LabA").count("x.IRP_MJ_CREATE")).as("refused before any create").isEqualTo(1);
    OpenResult asAdministrator = lab.open(lab.admin, "\\Device\\LabX", AccessMask.WRITE_DAC);
    assertThat(asAdministrator.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    lab.nt.ntClose(lab.admin, asAdministrator.handle());
    opened.close();
  }

  // T16 the default handler ---------------------------------------------------------------------

  @Test
  void T16_aRequestForAMajorFunctionTheDriverDidNotSetIsAnInvalidDeviceRequest() {
    lab.lab("LabA").entry("create x \\Device\\LabX").load();
    IoLab.Open x = lab.open("\\Device\\LabX", "LabA");

    IoResult read = x.read(8);
    IoResult write = x.write(new byte[] {1, 2, 3});

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(read.information()).isZero();
    assertThat(write.status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(write.information()).isZero();
    x.close();
  }
}
