package ntio.conformance;

import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.ObjectAttributes;

/**
 * What kernel32 adds to a system call that upstream tests make through it, so that a port makes
 * the same NT call the test made on Windows.
 */
public final class Kernel32 {

  /** {@code FILE_FLAG_OVERLAPPED}: CreateFile's flag for a handle that is not synchronous. */
  public static final int FILE_FLAG_OVERLAPPED = 0x40000000;

  private Kernel32() {}

  /** {@code CreateFile(name, access, share, NULL, OPEN_EXISTING, 0, NULL)}: see the overload. */
  public static OpenResult createFile(NtApi nt, int access, String ntName, int share) {
    return createFile(nt, access, ntName, share, 0);
  }

  /**
   * {@code CreateFile(name, access, share, NULL, OPEN_EXISTING, flags, NULL)} on a device: kernel32
   * asks NtCreateFile for {@code access | SYNCHRONIZE | FILE_READ_ATTRIBUTES}, which is why an open
   * "with access 0" succeeds on Windows, and for {@code FILE_SYNCHRONOUS_IO_NONALERT} unless
   * {@code flags} has {@link #FILE_FLAG_OVERLAPPED} (kernel32's CreateFileW, as Wine and ReactOS
   * implement it). {@code ntName} is the NT name ({@code \\.\X} is {@code \??\X}).
   */
  public static OpenResult createFile(NtApi nt, int access, String ntName, int share, int flags) {
    int options = (flags & FILE_FLAG_OVERLAPPED) != 0 ? 0 : CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT;
    return nt.createFile(access | AccessMask.SYNCHRONIZE | AccessMask.FILE_READ_ATTRIBUTES,
        ObjectAttributes.of(ntName), share, options);
  }
}
