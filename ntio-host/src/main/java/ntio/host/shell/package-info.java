/**
 * {@code ntio shell}: one client process for a whole session, so that handles stay open between
 * commands, with the handle commands ({@code open}, {@code read}, {@code write}, {@code ioctl},
 * {@code cancel}, {@code close}, {@code handles}, {@code wait}) and the {@code ntio} command line's
 * commands run against the same client.
 *
 * <p>{@link ntio.host.shell.ShellSession} is the session and its dispatcher; {@link
 * ntio.host.shell.LineTokenizer} splits a line into words without eating the backslashes of NT
 * names; {@link ntio.host.shell.InteractiveShell} runs a session on a terminal with JLine (history,
 * completion of commands, handle names and namespace paths). The command line's {@code
 * ShellCommand} chooses between it and a script read from stdin, and supplies the {@code ntio}
 * commands ({@link ntio.host.shell.NtioCommands}). The shell never owns its {@link
 * ntio.api.NtApi}: whoever made it closes it, and the client's rundown closes what the shell
 * left open.
 */
package ntio.host.shell;
