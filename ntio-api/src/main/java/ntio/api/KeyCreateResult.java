package ntio.api;

import ntio.ddk.Handle;
import ntio.ddk.NtStatus;

/** The outcome of {@code NtCreateKey}: status, handle and {@code Disposition}. */
public record KeyCreateResult(NtStatus status, Handle handle, int disposition) {}
