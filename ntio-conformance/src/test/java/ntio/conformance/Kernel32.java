package ntio.conformance;

import ntio.ddk.AccessMask;
import ntio.ddk.ObjectAttributes;
import ntio.host.api.NtApi;
import ntio.kernel.objects.ObjectManager.OpenResult;

/**
 * What kernel32 adds to a system call that upstream tests make through it, so that a port makes
 * the same NT call the test made on Windows.
 */
public final class Kernel32 {

  private Kernel32() {}

  /**
   * {@code CreateFile(name, access, share, NULL, OPEN_EXISTING, ...)} on a device: kernel32 asks
   * NtCreateFile for {@code access | SYNCHRONIZE | FILE_READ_ATTRIBUTES}, which is why an open
   * "with access 0" succeeds on Windows. {@code ntName} is the NT name ({@code \\.\X} is {@code
   * \??\X}).
   */
  public static OpenResult createFile(NtApi nt, int access, String ntName, int share) {
    return nt.createFile(access | AccessMask.SYNCHRONIZE | AccessMask.FILE_READ_ATTRIBUTES,
        ObjectAttributes.of(ntName), share, 0);
  }
}
