package ntio.api;

import ntio.ddk.NtStatus;

/** The outcome of a call that changes or reads an event's state. */
public record EventStateResult(NtStatus status, boolean previousState) {}
