/**
 * The host file system's safety primitives, shared by the kernel (the hive, crash dumps, driver
 * images) and the host (the state directory, its lock, socket and reports): {@link
 * ntio.hostfs.HostFiles} creates files and directories with exact POSIX modes whatever the umask and
 * opens them without following links; {@link ntio.hostfs.FileTrust} decides whether a host path may
 * be trusted by the uid the process runs as. JDK only, with no NT counterpart (NT protects these
 * files with their ACLs), so it belongs neither to the kernel's NT model nor to the client's API.
 */
module ntio.hostfs {
  exports ntio.hostfs;
}
