package ntio.kernel.io;

import static ntio.ddk.DeviceFlags.DOE_DELETE_PENDING;
import static ntio.ddk.DeviceFlags.DO_DEVICE_HAS_NAME;
import static ntio.ddk.DeviceFlags.DO_DEVICE_INITIALIZING;
import static ntio.ddk.DeviceFlags.DO_EXCLUSIVE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.DeviceTypes;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device objects from a real driver image: IoCreateDevice, IoDeleteDevice and the final delete,
 * IoEnumerateDeviceObjectList and driver object extensions (B23, B25, B26, B28, B29; T5–T9). The
 * Io calls are made by the lab driver inside DriverEntry or a dispatch routine.
 */
@Timeout(30)
class DevicesTest {

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

  // B23 IoCreateDevice ----------------------------------------------------------------------------

  @Test
  void B23_T6_anExclusiveNamedDeviceStartsInitializingNamedAndExclusive() {
    lab.lab("LabA").entry("create d \\Device\\LabT6 excl", "state d t6").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("d.Create")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.dword("t6.Type")).isEqualTo(3);
    assertThat(seen.dword("t6.Flags")).isEqualTo(DO_DEVICE_HAS_NAME | DO_DEVICE_INITIALIZING | DO_EXCLUSIVE);
    assertThat(seen.dword("t6.ExtensionType")).isEqualTo(13);
    assertThat(seen.string("t6.ExtensionDevice")).isEqualTo("d");
    assertThat(seen.dword("t6.ExtensionFlags")).isZero();
    assertThat(seen.dword("t6.ReferenceCount")).isZero();
    assertThat(seen.dword("t6.StackSize")).isEqualTo(1);
    assertThat(seen.dword("t6.DeviceType")).isEqualTo(DeviceTypes.FILE_DEVICE_UNKNOWN);
    assertThat(seen.dword("t6.Characteristics")).isZero();
    assertThat(seen.string("t6.AttachedDevice")).isEqualTo("null");
    assertThat(seen.string("t6.AttachedTo")).isEqualTo("null");
    assertThat(seen.string("t6.NextDevice")).isEqualTo("null");
    assertThat(seen.dword("t6.DriverIsSelf")).isEqualTo(1);
    assertThat(seen.string("t6.Name")).isEqualTo("\\Device\\LabT6");
    assertThat(seen.string("t6.Extension")).isEqualTo("null");
  }

  @Test
  void B23_T8_aNonExclusiveNamedDeviceIsNamedAndInitializingOnly() {
    lab.lab("LabA").entry("create d \\Device\\LabT8", "state d t8", "delete d", "driver after").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.dword("t8.Flags")).isEqualTo(DO_DEVICE_HAS_NAME | DO_DEVICE_INITIALIZING);
    assertThat(seen.string("after.DeviceObject")).isEqualTo("null");
  }

  @Test
  void B23_anUnnamedDeviceIsOnlyInitializing() {
    lab.lab("LabA").entry("create d -", "state d s").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.dword("s.Flags")).isEqualTo(DO_DEVICE_INITIALIZING);
    assertThat(seen.string("s.Name")).isEmpty();
  }

  @Test
  void B23_aNamedDeviceIsPermanentAndResolvesWithNoHandle() {
    lab.lab("LabA").entry("create d \\Device\\LabP").load();

    Referenced<KernelObject> device = lab.kernel.objects().referenceByName("\\Device\\LabP", lab.kernel.io().deviceType());
    assertThat(device.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      assertThat(device.object().isPermanent()).isTrue();
      assertThat(device.object().handleCount()).isZero();
    } finally {
      device.object().dereference();
    }
  }

  @Test
  void B23_anExclusiveDeviceIsInsertedAsAnExclusiveObject() {
    lab.lab("LabA").entry("create x \\Device\\LabX excl", "create s \\Device\\LabS").load();

    for (String name : new String[] {"\\Device\\LabX", "\\Device\\LabS"}) {
      Referenced<KernelObject> device = lab.kernel.objects().referenceByName(name, lab.kernel.io().deviceType());
      try {
        assertThat(device.object().isExclusive()).as(name).isEqualTo(name.endsWith("X"));
      } finally {
        device.object().dereference();
      }
    }
  }

  @Test
  void B23_theDeviceExtensionIsTheObjectTheDriverGave() {
    lab.lab("LabA").entry("create a - ext=hello", "create b -", "state a sa", "state b sb").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.dword("sa.ExtensionIsGiven")).isEqualTo(1);
    assertThat(seen.string("sa.Extension")).isEqualTo("hello");
    assertThat(seen.string("sb.Extension")).isEqualTo("null");
  }

  @Test
  void B23_theSectorSizeFollowsTheDeviceType() {
    lab.lab("LabA").entry(
        "create disk - type=0x07", "state disk disk",
        "create vdisk - type=0x24", "state vdisk vdisk",
        "create diskfs - type=0x08", "state diskfs diskfs",
        "create cdfs - type=0x03", "state cdfs cdfs",
        "create cdrom - type=0x02", "state cdrom cdrom",
        "create unknown - type=0x22", "state unknown unknown").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.dword("disk.SectorSize")).isEqualTo(512);
    assertThat(seen.dword("vdisk.SectorSize")).isEqualTo(512);
    assertThat(seen.dword("diskfs.SectorSize")).isEqualTo(512);
    assertThat(seen.dword("cdfs.SectorSize")).isEqualTo(2048);
    assertThat(seen.dword("cdrom.SectorSize")).isZero();
    assertThat(seen.dword("unknown.SectorSize")).isZero();
    assertThat(seen.dword("disk.DeviceType")).isEqualTo(DeviceTypes.FILE_DEVICE_DISK);
  }

  @Test
  void B23_autogeneratedNamesCountFromOneInEachKernel(@TempDir Path other) {
    String[] script = {"create a - auto", "create b - auto", "state a sa"};
    lab.lab("LabA").entry(script).load();
    try (IoLab second = IoLab.boot(other)) {
      second.lab("LabA").entry(script).load();

      for (IoLab kernel : new IoLab[] {lab, second}) {
        IoLab.Observed seen = kernel.observed("LabA");
        assertThat(seen.string("a.Name")).isEqualTo("\\Device\\00000001");
        assertThat(seen.string("b.Name")).isEqualTo("\\Device\\00000002");
        assertThat(seen.dword("sa.Flags")).isEqualTo(DO_DEVICE_HAS_NAME | DO_DEVICE_INITIALIZING);
        assertThat(kernel.deviceExists("\\Device\\00000001")).isTrue();
        assertThat(kernel.deviceExists("\\Device\\00000002")).isTrue();
      }
    }
  }

  @Test
  void B23_eachNewDeviceIsLinkedAtTheHeadOfTheDriversList() {
    lab.lab("LabA").entry("create a \\Device\\LabH1", "create b \\Device\\LabH2", "create c -",
        "driver d", "state a sa", "state b sb", "state c sc").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.string("d.DeviceObject")).isEqualTo("c");
    assertThat(seen.string("d.Devices")).isEqualTo("c,b,a");
    assertThat(seen.string("sc.NextDevice")).isEqualTo("b");
    assertThat(seen.string("sb.NextDevice")).isEqualTo("a");
    assertThat(seen.string("sa.NextDevice")).isEqualTo("null");
  }

  @Test
  void B23_T5_aDeviceInAMissingDirectoryIsPathNotFoundAndNothingIsLinked() {
    lab.lab("LabA").entry("create d \\Device1\\LabT5", "driver after").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("d.Create")).isEqualTo(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND);
    assertThat(seen.string("after.DeviceObject")).isEqualTo("null");
  }

  @Test
  void B23_aTakenNameIsACollisionAndNothingIsLinked() {
    lab.lab("LabA").entry("create a \\Device\\LabC", "create b \\Device\\LabC", "driver after").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("b.Create")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
    assertThat(seen.string("after.Devices")).isEqualTo("a");
  }

  @Test
  void B23_aFailedCreateDoesNotReferenceTheDriverAndASuccessfulOneDoes() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");
    long before = lab.pointerCount("\\Driver\\LabA", lab.kernel.io().driverType());

    ctl.run("create x \\Device1\\LabX", "create y \\Device\\LabCtl");

    assertThat(lab.observed("LabA").status("x.Create")).isEqualTo(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND);
    assertThat(lab.observed("LabA").status("y.Create")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
    assertThat(lab.pointerCount("\\Driver\\LabA", lab.kernel.io().driverType())).isEqualTo(before);

    ctl.run("create z -");

    assertThat(lab.pointerCount("\\Driver\\LabA", lab.kernel.io().driverType())).isEqualTo(before + 1);
    ctl.close();
  }

  // B25 IoDeleteDevice, B26 the final delete ------------------------------------------------------

  @Test
  void B25_T7_deletingAnUnreferencedDeviceUnlinksItAtOnce() {
    lab.lab("LabA").entry("create d \\Device\\LabT7 excl", "delete d", "driver after").load();

    assertThat(lab.observed("LabA").string("after.DeviceObject")).isEqualTo("null");
    assertThat(lab.deviceExists("\\Device\\LabT7")).isFalse();
  }

  @Test
  void B25_T9_aDeletedDevicesNameIsFreeAtOnce() {
    lab.lab("LabA").entry("create d \\Device\\LabT9 excl", "delete d", "create e \\Device\\LabT9",
        "driver after").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("e.Create")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("after.Devices")).isEqualTo("e");
    assertThat(lab.deviceExists("\\Device\\LabT9")).isTrue();
  }

  @Test
  void B26_aDeviceDeletedWhileOpenLosesItsNameAtOnceAndStaysLinkedUntilTheLastClose() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl", "create x \\Device\\LabX").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");
    IoLab.Open x = lab.open("\\Device\\LabX", "LabA");

    ctl.run("delete x", "driver deleted", "state x sx");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.string("deleted.Devices")).isEqualTo("x,ctl");
    assertThat(seen.dword("sx.ExtensionFlags")).isEqualTo(DOE_DELETE_PENDING);
    assertThat(seen.dword("sx.ReferenceCount")).isEqualTo(1);
    // B38: the name went with the delete.
    assertThat(lab.open(lab.admin, "\\Device\\LabX", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    // The open handle still reaches the driver.
    x.run("driver throughX");
    assertThat(seen.string("throughX.Devices")).isEqualTo("x,ctl");

    x.close();
    ctl.run("driver closed");

    assertThat(seen.string("closed.Devices")).isEqualTo("ctl");
    assertThat(seen.count("x.IRP_MJ_CLOSE")).isEqualTo(1);
    ctl.close();
  }

  @Test
  void B26_B32_aDeviceDeletedWhileSomethingIsAttachedIsUnlinkedByTheDetach() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl", "create l -", "create u -").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");

    ctl.run("attach u l a", "delete l", "driver deleted", "state l sl", "detach l", "driver detached");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("a.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("deleted.Devices")).isEqualTo("u,l,ctl");
    assertThat(seen.dword("sl.ExtensionFlags")).isEqualTo(DOE_DELETE_PENDING);
    assertThat(seen.string("sl.AttachedDevice")).isEqualTo("u");
    assertThat(seen.string("detached.Devices")).isEqualTo("u,ctl");
    ctl.close();
  }

  // B28 IoEnumerateDeviceObjectList ---------------------------------------------------------------

  @Test
  void B28_aBufferTooSmallForTheDevicesIsBufferTooSmallWithTheCount() {
    lab.lab("LabA").entry("create a \\Device\\LabEa", "create b \\Device\\LabEb", "create c -",
        "enum 2 small").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("small.Status")).isEqualTo(NtStatus.STATUS_BUFFER_TOO_SMALL);
    assertThat(seen.dword("small.Count")).isEqualTo(3);
    assertThat(seen.string("small.Devices")).isEmpty();
  }

  @Test
  void B28_everyEnumeratedDeviceIsReferencedUntilTheDriverDereferencesIt() {
    lab.lab("LabA").entry("create a \\Device\\LabEa", "create b \\Device\\LabEb", "create ctl \\Device\\LabCtl")
        .load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");
    String[] names = {"\\Device\\LabEa", "\\Device\\LabEb", "\\Device\\LabCtl"};
    long[] before = new long[names.length];
    for (int i = 0; i < names.length; i++) {
      before[i] = lab.devicePointers(names[i]);
    }

    ctl.run("enum 3 all keep");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("all.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.dword("all.Count")).isEqualTo(3);
    assertThat(seen.string("all.Devices")).isEqualTo("ctl,b,a");
    for (int i = 0; i < names.length; i++) {
      assertThat(lab.devicePointers(names[i])).as(names[i]).isEqualTo(before[i] + 1);
    }

    ctl.run("deref all0", "deref all1", "deref all2");

    for (int i = 0; i < names.length; i++) {
      assertThat(lab.devicePointers(names[i])).as(names[i]).isEqualTo(before[i]);
    }
    ctl.close();
  }

  // B29 IoAllocateDriverObjectExtension -----------------------------------------------------------

  @Test
  void B29_aSecondDriverObjectExtensionWithTheSameIdIsACollisionAndTheFirstStays() {
    lab.lab("LabA").entry("extalloc id first one", "extalloc id second two", "extalloc other third three",
        "extget id got", "extget other gotOther", "extget never gotNever").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("one")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.status("two")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
    assertThat(seen.status("three")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("got")).isEqualTo("first");
    assertThat(seen.string("gotOther")).isEqualTo("third");
    assertThat(seen.string("gotNever")).isEqualTo("null");
  }

  /**
   * NT's ClientIdentificationAddress may be NULL: Wine dlls/ntoskrnl.exe/tests/driver.c,
   * test_driver_object_extension, run on Windows, allocates with NULL, finds it with NULL and gets
   * STATUS_OBJECT_NAME_COLLISION for a second NULL.
   */
  @Test
  void B29_theClientIdNullIsAnIdLikeAnyOther() {
    lab.lab("LabA").entry("extalloc NULL first one", "extalloc NULL second two", "extget NULL got",
        "extget other gotOther").load();

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("one")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.status("two")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
    assertThat(seen.string("got")).isEqualTo("first");
    assertThat(seen.string("gotOther")).isEqualTo("null");
  }
}
