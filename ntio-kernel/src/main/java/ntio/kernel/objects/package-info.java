/**
 * The object manager, NT's {@code Ob}: the namespace (directories and symbolic links), object types
 * and their procedures, object headers with their two counts, handle tables, and name lookup with
 * parse procedures and reparse.
 *
 * <p>The public face is {@link ntio.kernel.objects.ObjectManager} (one per kernel), {@link
 * ntio.kernel.objects.KernelObject} (the header every object body extends), {@link
 * ntio.kernel.objects.ObjectType}, {@link ntio.kernel.objects.HandleTable} and the {@link
 * ntio.kernel.objects.Caller} every call names. It uses the security package directly for access
 * and privilege checks ({@code ObjectSecurity}); nothing else in the kernel is below it.
 *
 * <p>Behind that face the work is split as ReactOS splits {@code ntoskrnl/ob}, one package-private
 * class a concern: {@code Namespace} (the root, {@code \GLOBAL??} and the namespace lock),
 * {@code NameLookup} and {@code NameInsertion} ({@code obname.c}: lookup, reparse, parse
 * procedures; the walk to where a new name goes),
 * {@code ObjectCreation} ({@code ObInsertObject}) with {@code AttributeCapture},
 * {@code ObjectHandles} ({@code obhandle.c}: open, reference by handle, close, duplicate,
 * rundown), {@code ObjectLifetime} ({@code oblife.c}: permanent and temporary),
 * {@code DirectoryServices} ({@code obdir.c}), {@code SymbolicLinkServices} ({@code oblink.c}) and
 * {@code ObjectInformation} ({@code NtQueryObject}).
 *
 * <h2>Locks</h2>
 *
 * <ul>
 *   <li>{@code Namespace.lock} (read/write): every directory's entries and every object's
 *       name. Lookups read, inserts and name removals write. Parse, close and delete
 *       procedures are never called under it.
 *   <li>Each {@code KernelObject}'s monitor: its counts and flags. A leaf: nothing is called under
 *       it, and the delete procedure runs after it is released.
 *   <li>Each {@code HandleTable}'s monitor: its slots. It may take an object's monitor (to reference
 *       the object of a handle while the handle cannot be closed underneath), never the reverse.
 * </ul>
 *
 * <h2>Reference counts</h2>
 *
 * <p>A new object has a pointer count of one, its creator's. Each handle holds one pointer
 * reference and one handle count; a permanent object holds one more for as long as it is
 * permanent. {@code reference()} adds one; {@code dereference()} returns true only for the call
 * that freed the object, after which the type's delete procedure has run once. A dereference past
 * zero or a reference of a freed object throws: it is a bug in ntio, never a driver's fault. A
 * temporary object leaves the namespace when its handle count reaches zero (B44); a failed insert
 * drops the creator's reference and so destroys the object (B45).
 */
package ntio.kernel.objects;
