package ntio.api;

import ntio.ddk.NtStatus;

/** One entry's header and the status of the query. */
public record EntryInfo(NtStatus status, ObjectInfo info) {}
