package ntio.api;

import ntio.ddk.NtStatus;

/** A symbolic link's target and the status of the query. */
public record LinkTarget(NtStatus status, String target) {}
