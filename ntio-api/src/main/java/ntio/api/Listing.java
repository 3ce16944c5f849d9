package ntio.api;

import java.util.List;
import ntio.ddk.NtStatus;

/** A directory listing and its status. */
public record Listing(NtStatus status, List<DirectoryEntry> entries) {}
