package ntio.kernel.objects;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import ntio.ddk.Handle;

/**
 * One process's handle table. Models {@code HANDLE_TABLE} (partial: one level, no audit). Handle
 * values are NT's: multiples of four from {@code 0x4}; in the System process's table they carry
 * {@link Handle#KERNEL_HANDLE_BIT}, which is how a kernel handle is told from a user one. Freed
 * values are reused most recent first, as NT's free list does.
 *
 * <p>The table only stores entries. Counting, close procedures and name removal are the
 * {@link ObjectManager}'s work, done after an entry has left the table and with no table lock
 * held.
 */
public final class HandleTable {

  /** {@code OBJ_PROTECT_CLOSE}: the handle cannot be closed until the flag is cleared. */
  public static final int PROTECT_FROM_CLOSE = 0x1;
  /** {@code OBJ_INHERIT}: a child process would inherit the handle. */
  public static final int INHERIT = 0x2;

  /** NT's limit on handles in one table (2^24). */
  static final int MAX_HANDLES = 1 << 24;

  /**
   * One handle: the referenced object, the access granted when it was opened, and its attributes.
   *
   * @param object the object, carrying the handle's pointer reference
   * @param grantedAccess the access checked at open
   * @param attributes {@link #PROTECT_FROM_CLOSE} and {@link #INHERIT}
   */
  public record Entry(KernelObject object, int grantedAccess, int attributes) {}

  /** A handle and its entry, as a snapshot lists them. */
  public record Listed(Handle handle, Entry entry) {}

  private final String owner;
  private final boolean kernel;

  @GuardedBy("this")
  private final List<Entry> slots = new ArrayList<>();

  @GuardedBy("this")
  private final Deque<Integer> free = new ArrayDeque<>();

  @GuardedBy("this")
  private int live;

  @GuardedBy("this")
  private boolean rundown;

  /**
   * A new, empty table.
   *
   * @param owner the process it belongs to, for messages
   * @param kernel whether it is the System process's table of kernel handles
   */
  public HandleTable(String owner, boolean kernel) {
    this.owner = owner;
    this.kernel = kernel;
  }

  /** The owning process's name. */
  public String owner() {
    return owner;
  }

  /** Whether this is the kernel handle table. */
  public boolean isKernel() {
    return kernel;
  }

  /** How many handles are open in this table. */
  public synchronized int count() {
    return live;
  }

  /** Whether the table has been run down: it takes no new handles. */
  public synchronized boolean isRunDown() {
    return rundown;
  }

  /** Stores an entry; returns its handle, or null when the table is full or run down. */
  synchronized Handle add(Entry entry) {
    if (rundown || live >= MAX_HANDLES) {
      return null;
    }
    int index;
    if (!free.isEmpty()) {
      index = free.pop();
      slots.set(index, entry);
    } else {
      index = slots.size();
      slots.add(entry);
    }
    live++;
    return toHandle(index);
  }

  /** The entry for a handle, or null if the value names no open handle of this table. */
  public synchronized Entry lookup(Handle handle) {
    int index = toIndex(handle);
    return index < 0 || index >= slots.size() ? null : slots.get(index);
  }

  /**
   * The entry for a handle with its object referenced for the caller, or null. Referencing under
   * the table lock is what makes it safe against a concurrent close: the handle's own reference
   * cannot be dropped before the entry has left the table.
   */
  synchronized Entry lookupAndReference(Handle handle) {
    Entry entry = lookup(handle);
    if (entry != null) {
      entry.object().reference();
    }
    return entry;
  }

  /**
   * Removes a handle's entry and returns it; null if it names no open handle. A protected handle
   * is left in place and returned with its flag, so the caller can refuse the close.
   */
  synchronized Entry remove(Handle handle, boolean honourProtection) {
    int index = toIndex(handle);
    if (index < 0 || index >= slots.size()) {
      return null;
    }
    Entry entry = slots.get(index);
    if (entry == null) {
      return null;
    }
    if (honourProtection && (entry.attributes() & PROTECT_FROM_CLOSE) != 0) {
      return entry;
    }
    slots.set(index, null);
    free.push(index);
    live--;
    return entry;
  }

  /** Replaces a handle's attributes ({@code NtSetInformationObject}, ObjectHandleFlagInformation). */
  synchronized boolean setAttributes(Handle handle, int attributes) {
    int index = toIndex(handle);
    if (index < 0 || index >= slots.size() || slots.get(index) == null) {
      return false;
    }
    Entry entry = slots.get(index);
    slots.set(index, new Entry(entry.object(), entry.grantedAccess(), attributes));
    return true;
  }

  /** Marks the table run down and takes every entry out of it, for process rundown. */
  synchronized List<Listed> takeAllForRundown() {
    rundown = true;
    List<Listed> all = new ArrayList<>(live);
    for (int i = 0; i < slots.size(); i++) {
      Entry entry = slots.get(i);
      if (entry != null) {
        all.add(new Listed(toHandle(i), entry));
        slots.set(i, null);
      }
    }
    slots.clear();
    free.clear();
    live = 0;
    return all;
  }

  /** A snapshot of every open handle, in handle order. */
  public synchronized List<Listed> snapshot() {
    List<Listed> all = new ArrayList<>(live);
    for (int i = 0; i < slots.size(); i++) {
      Entry entry = slots.get(i);
      if (entry != null) {
        all.add(new Listed(toHandle(i), entry));
      }
    }
    return all;
  }

  /** Whether a handle value belongs to this table's kind (kernel or user). */
  boolean owns(Handle handle) {
    return handle.isKernelHandle() == kernel;
  }

  private Handle toHandle(int index) {
    int value = (index + 1) * 4;
    return new Handle(kernel ? value | Handle.KERNEL_HANDLE_BIT : value);
  }

  private int toIndex(Handle handle) {
    if (!owns(handle)) {
      return -1;
    }
    // NT ignores the two low bits of a handle value: applications may use them as tags.
    int value = handle.value() & ~Handle.KERNEL_HANDLE_BIT & ~3;
    if (value <= 0) {
      return -1;
    }
    return value / 4 - 1;
  }

  @Override
  public String toString() {
    return "HandleTable[" + owner + (kernel ? ", kernel" : "") + "]";
  }
}
