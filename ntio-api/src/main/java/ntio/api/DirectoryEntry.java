package ntio.api;

/** One entry of a directory listing: the name, the type's name, and a link's target. */
public record DirectoryEntry(String name, String typeName, String linkTarget) {}
