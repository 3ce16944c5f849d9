package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.devicetests.names.NamesDriver;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.testing.DriverJars;

/** An {@link IoLab} with {@link NamesDriver} loaded as the service {@code Names}. */
final class NamesLab {

  static final String SERVICE = "Names";

  final IoLab lab;

  NamesLab(IoLab lab) {
    this.lab = lab;
    DriverJars.image(SERVICE + ".jar").entry(NamesDriver.class).writeTo(lab.drivers());
    lab.installService(SERVICE, SERVICE + ".jar");
    assertThat(lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** NtCreateFile of an absolute name as the administrator. */
  OpenResult open(String name) {
    return lab.open(lab.admin, name, IoLab.READ_WRITE);
  }

  /** NtCreateFile of {@code name} relative to {@code root} (ObjectAttributes.RootDirectory). */
  OpenResult openRelative(Handle root, String name) {
    return lab.nt.ntCreateFile(lab.admin, IoLab.READ_WRITE,
        new ObjectAttributes(root, UnicodeString.of(name), ObjectAttributes.OBJ_CASE_INSENSITIVE), 0, 0);
  }

  /** An open that must succeed. */
  Handle opened(OpenResult result) {
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.handle();
  }

  /** What the driver says of the open behind {@code handle}: {@code FileName|[related]|creates}. */
  String describe(Handle handle) {
    Requests.IoResult result = lab.nt.ntDeviceIoControlFile(lab.admin, handle,
        NamesDriver.IOCTL_NAMES_DESCRIBE, new byte[0], 256);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return new String(result.data(), StandardCharsets.UTF_8);
  }

  /** How many creates the driver has seen. */
  int creates(Handle anyOpen) {
    String described = describe(anyOpen);
    return Integer.parseInt(described.substring(described.lastIndexOf('|') + 1));
  }

  /** The file object behind a handle (not kept referenced). */
  KernelFileObject fileOf(Handle handle) {
    Referenced<KernelFileObject> file = lab.kernel.objects().referenceByHandle(handle, 0,
        lab.kernel.io().fileType(), lab.admin);
    assertThat(file.isSuccess()).isTrue();
    file.object().dereference();
    return file.object();
  }

  void close(Handle handle) {
    assertThat(lab.nt.ntClose(lab.admin, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
