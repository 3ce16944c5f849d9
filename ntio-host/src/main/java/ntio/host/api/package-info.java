/**
 * What a user-mode client can ask of a kernel: the system calls ({@link ntio.api.NtApi}),
 * answered either in this process ({@link ntio.host.api.LocalNt}, the embedded kernel and the
 * daemon's side of every connection) or by a daemon over its socket ({@code ntio.host.wire}).
 * Every command of the {@code ntio} command line is written against {@code NtApi} only, so that it
 * behaves the same embedded and remote.
 */
package ntio.host.api;
