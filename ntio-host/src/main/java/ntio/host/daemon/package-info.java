/**
 * The daemon's side of the socket: {@link ntio.host.daemon.SocketServer} accepts connections and
 * serves each as one user-mode process of the kernel, with the token
 * {@link ntio.host.daemon.ClientPolicy} chooses from the peer's {@code SO_PEERCRED} credentials.
 * When a connection ends, its process is run down: pending I/O cancelled, handles closed.
 */
package ntio.host.daemon;
