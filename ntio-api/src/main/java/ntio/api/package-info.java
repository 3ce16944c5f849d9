/**
 * The client's view of an ntio kernel: the system calls of one user-mode process ({@link
 * ntio.api.NtApi}), what they return, and the value types their arguments name (privileges,
 * verifier settings). Every type here is a value or an interface; the kernel ({@code ntio-kernel})
 * implements them, and the host, the command line, the shell and the conformance tests are
 * written against them.
 */
package ntio.api;
