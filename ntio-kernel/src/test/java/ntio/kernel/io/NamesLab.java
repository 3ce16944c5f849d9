package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.devicetests.names.NamesDriver;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * An {@link IoLab} with {@link NamesDriver} loaded as the service {@code Names}. {@link
 * #boot(Path)} boots a kernel for it, which {@link #close()} shuts down.
 */
final class NamesLab implements AutoCloseable {

  static final String SERVICE = "Names";

  final IoLab lab;

  NamesLab(IoLab lab) {
    this.lab = lab;
    lab.loadImage(SERVICE, NamesDriver.class);
  }

  /** Boots a kernel in {@code state} and loads {@link NamesDriver} in it. */
  static NamesLab boot(Path state) {
    IoLab lab = IoLab.boot(state);
    try {
      return new NamesLab(lab);
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  /** NtQueryObject of {@code handle} as the administrator. */
  ObjectQuery query(Handle handle) {
    return lab.nt.ntQueryObject(lab.admin, handle);
  }

  /** Shuts the kernel down. */
  @Override
  public void close() {
    lab.close();
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
    IoResult result = lab.nt.ntDeviceIoControlFile(lab.admin, handle,
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
