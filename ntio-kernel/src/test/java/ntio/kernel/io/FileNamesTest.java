package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.ObjectQuery;
import ntio.ddk.FileObject;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.io.devicetests.names.NamesDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names of opens: what follows a device's name becomes FileObject->FileName with its
 * separator, a lone trailing separator included, and NtQueryObject's ObjectNameInformation on a
 * file is the device's name plus the driver's answer to FileNameInformation. The expected values
 * are Windows', from Wine's {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c} ({@code test_object_info},
 * {@code test_blocking_irp}) and ReactOS's {@code ntoskrnl/io/iomgr/file.c} ({@code
 * IopQueryNameInternal}).
 */
@Timeout(30)
class FileNamesTest {

  @TempDir Path state;

  private IoLab lab;
  private NamesLab names;

  @BeforeEach
  void boot() {
    names = NamesLab.boot(state);
    lab = names.lab;
  }

  @AfterEach
  void shutDown() {
    names.close();
  }

  /**
   * Wine ntoskrnl.c {@code test_blocking_irp} opens {@code \\.\WineTestDriver\} (a trailing
   * separator after the device's name) and it succeeds on Windows.
   */
  @Test
  void aTrailingSeparatorAfterADeviceNameIsPassedToTheDeviceAsTheNameBackslash() {
    assertThat(lab.kernel.objects().createKernelSymbolicLink("\\??\\Names", NamesDriver.DEVICE))
        .isEqualTo(NtStatus.STATUS_SUCCESS);

    Handle file = names.opened(names.open("\\??\\Names\\"));

    assertThat(names.fileOf(file).fileName().text()).isEqualTo("\\");
    assertThat(names.fileOf(file).flags() & FileObject.FO_DIRECT_DEVICE_OPEN).isZero();
    assertThat(names.describe(file)).startsWith("\\|none|");
    names.close(file);
  }

  /** A trailing or doubled separator inside the namespace is still no name (ObpLookupObjectName). */
  @Test
  void aTrailingOrDoubledSeparatorBeforeAnyDeviceIsStillAnInvalidName() {
    assertThat(names.open("\\Device\\").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
    assertThat(names.open("\\Device\\\\Names").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
    assertThat(names.open("\\??\\").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
  }

  /** Wine ntoskrnl.c {@code test_object_info}: FileNameInformation of {@code ...\subfile} is {@code \subfile}. */
  @Test
  void fileNameKeepsItsLeadingSeparator() {
    Handle file = names.opened(names.open(NamesDriver.DEVICE + "\\subfile"));

    assertThat(names.fileOf(file).fileName().text()).isEqualTo("\\subfile");
    assertThat(names.describe(file)).startsWith("\\subfile|none|");
    names.close(file);
  }

  /** Wine ntoskrnl.c {@code test_object_info}: {@code \Device\WineTestDriver\subfile}. */
  @Test
  void queryObjectOnAFileIsTheDeviceNameFollowedByTheDriversFileName() {
    Handle file = names.opened(names.open(NamesDriver.DEVICE + "\\subfile"));

    ObjectQuery answer = names.query(file);

    assertThat(answer.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(answer.nameStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(answer.info().name()).isEqualTo("\\Device\\Names\\subfile");
    assertThat(answer.info().typeName()).isEqualTo("File");
    names.close(file);
  }

  /**
   * Wine ntoskrnl.c {@code test_object_info}: the device's own open (whose FileNameInformation
   * the driver refuses with STATUS_INVALID_DEVICE_REQUEST) is named {@code \Device\WineTestDriver}.
   */
  @Test
  void queryObjectOnTheDevicesOwnOpenIsTheDeviceName() {
    Handle device = names.opened(names.open(NamesDriver.DEVICE));

    ObjectQuery answer = names.query(device);

    assertThat(answer.nameStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(answer.info().name()).isEqualTo(NamesDriver.DEVICE);
    names.close(device);
  }

  /**
   * Wine ntoskrnl.c {@code test_object_info}: {@code \notimpl} and {@code \badparam}, whose
   * FileNameInformation fails with STATUS_NOT_IMPLEMENTED and STATUS_INVALID_PARAMETER, are named
   * by the device alone, and the query succeeds.
   */
  @Test
  void aDriverThatDoesNotImplementFileNameInformationLeavesTheDeviceName() {
    for (String name : new String[] {"\\notimpl", "\\badparam"}) {
      Handle file = names.opened(names.open(NamesDriver.DEVICE + name));

      ObjectQuery answer = names.query(file);

      assertThat(answer.nameStatus()).as(name).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(answer.info().name()).as(name).isEqualTo(NamesDriver.DEVICE);
      names.close(file);
    }
  }

  /**
   * Wine ntoskrnl.c {@code test_object_info}: {@code \genfail} and {@code \badtype}, whose
   * FileNameInformation fails with STATUS_UNSUCCESSFUL and STATUS_OBJECT_TYPE_MISMATCH: that is
   * ObjectNameInformation's status. The header (type, counts) is still there.
   */
  @Test
  void anyOtherDriverFailureIsTheNamesStatus() {
    Handle genfail = names.opened(names.open(NamesDriver.DEVICE + "\\genfail"));
    Handle badtype = names.opened(names.open(NamesDriver.DEVICE + "\\badtype"));

    ObjectQuery unsuccessful = names.query(genfail);
    ObjectQuery mismatch = names.query(badtype);

    assertThat(unsuccessful.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(unsuccessful.nameStatus()).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
    assertThat(unsuccessful.info().name()).isNull();
    assertThat(unsuccessful.info().typeName()).isEqualTo("File");
    assertThat(mismatch.nameStatus()).isEqualTo(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    names.close(genfail);
    names.close(badtype);
  }

  /**
   * ReactOS file.c {@code IopQueryNameInternal}: a FileNameInformation answer that does not start
   * with a separator is STATUS_OBJECT_PATH_INVALID (here the driver answers a relative open's name
   * as it was given).
   */
  @Test
  void aDriversNameWithoutALeadingSeparatorIsObjectPathInvalid() {
    Handle root = names.opened(names.open(NamesDriver.DEVICE));
    Handle child = names.opened(names.openRelative(root, "child"));

    assertThat(names.query(child).nameStatus()).isEqualTo(NtStatus.STATUS_OBJECT_PATH_INVALID);
    names.close(child);
    names.close(root);
  }

  @Test
  void queryObjectOfAHandleTheCallerDoesNotHoldFailsEveryClassWithInvalidHandle() {
    ObjectQuery answer = names.query(new Handle(0x7FF0));

    assertThat(answer.status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(answer.nameStatus()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(answer.info()).isNull();
  }

  @Test
  void queryObjectOfANamedObjectIsItsPlaceInTheNamespace() {
    var directory = lab.nt.ntOpenDirectoryObject(lab.admin, ntio.ddk.AccessMask.DIRECTORY_QUERY,
        ntio.ddk.ObjectAttributes.of("\\Device"));

    ObjectQuery answer = names.query(directory.handle());

    assertThat(answer.nameStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(answer.info().name()).isEqualTo("\\Device");
    assertThat(answer.info().typeName()).isEqualTo("Directory");
    names.close(directory.handle());
  }
}
