/**
 * The host file system's side of ntio's security boundary (no NT counterpart: there the ACLs of the
 * hive and of {@code System32\drivers} do it): {@link ntio.hostfs.FileTrust}, whether a host file or
 * directory may be trusted by the uid the process runs as, and {@link ntio.hostfs.HostFiles}, which
 * creates files with exact modes whatever the umask and opens them without following links.
 *
 * <p>Shared by the kernel and the host, so that neither reaches into the other for it. Stateless;
 * no locks.
 */
package ntio.hostfs;
