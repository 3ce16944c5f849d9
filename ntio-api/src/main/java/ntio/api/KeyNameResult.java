package ntio.api;

import ntio.ddk.NtStatus;

/** The outcome of a registry call that returns a name ({@code NtEnumerateKey}). */
public record KeyNameResult(NtStatus status, String name) {}
