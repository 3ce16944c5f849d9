/**
 * The configuration manager (NT prefix {@code Cm}): the storage layer of the registry. Keys with
 * stable numeric ids and typed values, volatile keys, registry links, the boot layout and {@code
 * .reg} files. The object manager's Key objects, handles and {@code NtOpenKey} are built on top: a
 * Key object holds the id of its key, and every call on the id of a deleted key answers {@code
 * STATUS_KEY_DELETED}.
 *
 * <p>Public face: {@link ntio.kernel.registry.Hive} (one per kernel, the whole {@code \REGISTRY}
 * tree) with its result records; the values {@link ntio.kernel.registry.RegValue} and {@link
 * ntio.kernel.registry.RegType}; {@link ntio.kernel.registry.HiveLayout}, run at every boot; and
 * {@link ntio.kernel.registry.RegFile} for export and import. Behind {@code Hive}, package-private,
 * one class a seam: {@code RegistryLock} (the lock and the one read/change wrapper every call goes
 * through), {@code HiveFile} (the stable store's file), {@code KeyCells} (both stores as one tree
 * of cells), {@code KeyParse} (the key walk), {@code KeyQueries} and {@code KeyChanges};
 * {@code CellStore}, the cell formats, the integrity check and the {@code .reg} reader and writer.
 *
 * <p>Locks: each {@code Hive} has one lock, the registry lock (NT's {@code CmpRegistryLock}), held
 * for the whole of every call; an import holds it across all its steps. It is a leaf: no other lock
 * of the kernel is taken while it is held, and no callback runs under it, so any component may call
 * the registry with its own locks held. {@code RegistryLock} owns it; {@code CellStore} and the
 * classes over it ({@code HiveFile}, {@code KeyCells}, {@code KeyParse}, {@code KeyQueries}, {@code
 * KeyChanges}) are confined to its holder (the flush pin has a monitor of its own, only ever taken
 * inside it).
 *
 * <p>Durability rule: a call that changes the registry returns only after its change is committed
 * to the hive file — MVStore writes the chunk on the calling thread, with auto-commit and its
 * background writer off, so nothing but a complete change ever reaches the file. A change whose
 * call returned survives the process being killed at any instant, and reopening the file never
 * fails because of such a kill. {@code Hive.flush} ({@code NtFlushKey}) and the lazy flusher (every
 * 1000 commits or 5 seconds) also force the file to the device. Volatile keys are never written
 * anywhere.
 *
 * <p>Reference counts: none. Keys are rows, not objects; the object manager counts references to
 * the Key objects that name them.
 */
package ntio.kernel.registry;
