package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.api.OpenResult;
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
 * Opens relative to a file handle (ObjectAttributes.RootDirectory names an open device file) are
 * real opens, as NT's File type parse procedure makes them: ReactOS {@code
 * ntoskrnl/io/iomgr/file.c}, {@code IopParseFile} (the related file object's device, through
 * {@code IopParseDevice}), {@code IopCheckDeviceAndDriver} (delete, unload or removal pending, or
 * initializing: STATUS_NO_SUCH_DEVICE; the exclusive check skipped when there is a
 * RelatedFileObject) and {@code IopParseDevice} (a new file object whose RelatedFileObject is the
 * root's, IRP_MJ_CREATE with the remaining name, no access check against the device); and
 * {@code ntoskrnl/ob/obname.c}, {@code ObpLookupObjectName} (a name relative to a File may start
 * with a separator; every relative name, even an empty one, goes to the parse procedure).
 */
@Timeout(30)
class RelativeOpensTest {

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

  @Test
  void aRelativeOpenSendsCreateWithTheRelativeNameAndMakesANewFileObjectRelatedToTheRoot() {
    Handle root = names.opened(names.open(NamesDriver.DEVICE));
    int before = names.creates(root);

    Handle child = names.opened(names.openRelative(root, "child"));

    assertThat(names.creates(root)).isEqualTo(before + 1);
    assertThat(names.describe(child)).isEqualTo("child|[]|" + (before + 1));
    KernelFileObject file = names.fileOf(child);
    assertThat(file).isNotSameAs(names.fileOf(root));
    assertThat(file.relatedFileObject()).isSameAs(names.fileOf(root));
    assertThat(file.deviceObject()).isSameAs(names.fileOf(root).deviceObject());
    assertThat(file.flags() & FileObject.FO_DIRECT_DEVICE_OPEN).isZero();
    names.close(child);
    names.close(root);
  }

  @Test
  void aRelativeOpenWithAnEmptyNameIsANewOpenNotAnAliasOfTheRoot() {
    Handle root = names.opened(names.open(NamesDriver.DEVICE + "\\dir"));
    int before = names.creates(root);

    Handle again = names.opened(names.openRelative(root, ""));

    assertThat(names.creates(root)).isEqualTo(before + 1);
    assertThat(names.fileOf(again)).isNotSameAs(names.fileOf(root));
    assertThat(names.describe(again)).isEqualTo("|[\\dir]|" + (before + 1));
    names.close(again);
    names.close(root);
  }

  @Test
  void aNameRelativeToAFileMayStartWithASeparatorAndReachesTheDriverAsGiven() {
    Handle root = names.opened(names.open(NamesDriver.DEVICE));

    Handle child = names.opened(names.openRelative(root, "\\sub\\deeper\\"));

    assertThat(names.describe(child)).startsWith("\\sub\\deeper\\|[]|");
    names.close(child);
    names.close(root);
  }

  @Test
  void aRelativeOpenOnADeletePendingDeviceFailsWithNoSuchDeviceAndSendsNoCreate() {
    Handle root = names.opened(names.open(NamesDriver.DEVICE));
    int before = names.creates(root);
    assertThat(lab.nt.ntDeviceIoControlFile(lab.admin, root, NamesDriver.IOCTL_NAMES_DELETE,
        new byte[0], 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    OpenResult relative = names.openRelative(root, "child");

    assertThat(relative.status()).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(names.creates(root)).isEqualTo(before);
    names.close(root);
  }

  @Test
  void aRelativeOpenOnAnUnloadPendingDeviceFailsWithNoSuchDevice() {
    Handle root = names.opened(names.open(NamesDriver.DEVICE));
    int before = names.creates(root);
    // The open handle defers the unload; the devices are marked DOE_UNLOAD_PENDING at once.
    assertThat(lab.unload(NamesLab.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);

    OpenResult relative = names.openRelative(root, "child");

    assertThat(relative.status()).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(names.creates(root)).isEqualTo(before);
    names.close(root);
    lab.awaitUnloaded(NamesLab.SERVICE);
  }

  @Test
  void aRelativeOpenPassesAnExclusiveDeviceThatRefusesASecondOpenByName() {
    Handle root = names.opened(names.open(NamesDriver.EXCLUSIVE_DEVICE));
    assertThat(names.open(NamesDriver.EXCLUSIVE_DEVICE).status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED);

    OpenResult relative = names.openRelative(root, "child");

    assertThat(relative.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(names.describe(relative.handle())).startsWith("child|[]|");
    names.close(relative.handle());
    names.close(root);
  }

  @Test
  void aNameRelativeToADirectoryStillMayNotStartWithASeparator() {
    OpenResult directory = lab.nt.ntOpenDirectoryObject(lab.admin, ntio.ddk.AccessMask.DIRECTORY_QUERY
        | ntio.ddk.AccessMask.DIRECTORY_TRAVERSE, ntio.ddk.ObjectAttributes.of("\\Device"));
    assertThat(directory.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(names.openRelative(directory.handle(), "\\Names").status())
        .isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    OpenResult byRelativeName = names.openRelative(directory.handle(), "Names");
    assertThat(byRelativeName.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    names.close(byRelativeName.handle());
    names.close(directory.handle());
  }
}
