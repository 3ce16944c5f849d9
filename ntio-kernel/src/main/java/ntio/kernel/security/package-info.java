/**
 * The security reference monitor (NT prefix {@code Se}): SIDs, privileges, tokens, security
 * descriptors with their SDDL form, and the privilege and access checks every privileged call and
 * every open makes.
 *
 * <p>Public face: the values {@link ntio.kernel.security.Sid}, {@link ntio.api.Luid},
 * {@link ntio.api.Privilege}, {@link ntio.kernel.security.Ace}, {@link
 * ntio.kernel.security.Acl} and {@link ntio.kernel.security.SecurityDescriptor}; the mutable {@link
 * ntio.kernel.security.Token} made by a kernel's {@link ntio.kernel.security.Tokens}; and the
 * stateless checks {@link ntio.kernel.security.PrivilegeCheck} and {@link
 * ntio.kernel.security.AccessCheck}.
 *
 * <p>The host file system's side of the same boundary (whether a host file may be trusted, and
 * creating files with exact modes) is module {@code ntio.hostfs}, which the host shares.
 *
 * <p>Locks: each {@code Token} has one private lock guarding its privileges; it is a leaf (no
 * other lock is taken while it is held, and no callback runs under it). {@code LuidAllocator} is
 * lock-free. Everything else here is immutable.
 *
 * <p>Reference counts: none. Tokens are plain Java objects here; the object manager counts
 * references to the processes that hold them.
 *
 * <p>Previous mode: every check takes the caller's {@link ntio.ddk.ProcessorMode}. Kernel mode
 * passes privilege checks and, unless the access check is forced, access checks.
 */
package ntio.kernel.security;
