package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.KeyNameResult;
import ntio.api.OpenResult;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.Caller;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.objects.ParseContext;
import ntio.kernel.objects.ParseProcedure;
import ntio.kernel.security.AccessCheck;
import ntio.kernel.security.AccessCheckResult;
import ntio.hostfs.HostFiles;
import ntio.kernel.security.SecurityDescriptor;

/**
 * The configuration manager of one kernel: the Key object type, the {@code \REGISTRY} root key in
 * the namespace, and the {@code Nt…Key} system services over the {@link Hive}. Models the
 * {@code Cm} component's object side (partial: one security descriptor guards every key; no
 * notifications, no transactions, no class names).
 *
 * <p>A key path is looked up by the object manager as far as {@code \REGISTRY}; the Key type's
 * parse procedure ({@code CmpParseKey}) walks the rest in the hive, following registry links, so
 * a key opened through {@code CurrentControlSet} is the {@code ControlSet001} key and reports that
 * name (B9). Creating a key goes through the same parse with a {@link KeyOpen} context.
 */
public final class Registry implements AutoCloseable {

  /** {@code REG_OPTION_VOLATILE}: the key lives in memory only. */
  public static final int REG_OPTION_VOLATILE = Hive.REG_OPTION_VOLATILE;
  /** {@code REG_OPTION_CREATE_LINK}: the key is a link. */
  public static final int REG_OPTION_CREATE_LINK = Hive.REG_OPTION_CREATE_LINK;
  /** {@code REG_OPTION_BACKUP_RESTORE} (accepted, no effect). */
  public static final int REG_OPTION_BACKUP_RESTORE = 0x4;
  /** {@code REG_OPTION_OPEN_LINK}: open a link key itself. */
  public static final int REG_OPTION_OPEN_LINK = 0x8;
  /** Every option NtCreateKey accepts. */
  static final int VALID_OPTIONS = 0xF;

  /** The Key type's generic mapping. */
  public static final GenericMapping KEY_MAPPING =
      new GenericMapping(AccessMask.KEY_READ, AccessMask.KEY_WRITE, AccessMask.KEY_EXECUTE,
          AccessMask.KEY_ALL_ACCESS);

  private final ObjectManager objects;
  private final Hive hive;
  private final SecurityDescriptor keySecurity;
  private final ObjectType keyType;
  private final Handle rootHandle;
  @com.google.errorprone.annotations.concurrent.GuardedBy("this")
  private boolean closed;

  /**
   * What a create passes to the parse procedure, and what it learns: whether the key was created.
   */
  static final class KeyOpen implements ParseContext {
    final boolean create;
    final int options;
    int disposition;

    KeyOpen(boolean create, int options) {
      this.create = create;
      this.options = options;
    }
  }

  private Registry(ObjectManager objects, Hive hive, SecurityDescriptor keySecurity) {
    this.objects = objects;
    this.hive = hive;
    this.keySecurity = keySecurity;
    this.keyType = objects.createType(
        ObjectType.builder("Key")
            .genericMapping(KEY_MAPPING)
            .validAccessMask(AccessMask.KEY_ALL_ACCESS)
            .invalidAttributes(ObjectAttributes.OBJ_EXCLUSIVE | ObjectAttributes.OBJ_PERMANENT)
            .defaultSecurity(keySecurity)
            .onParse(this::parseKey));
    // As NT does, the kernel keeps a handle to \REGISTRY open for as long as the registry runs:
    // that handle is what keeps the root key's name in the namespace.
    OpenResult root = objects.insertObject(new KeyObject(keyType, hive, hive.rootId()),
        ObjectAttributes.of("\\REGISTRY", ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE),
        keySecurity, AccessMask.KEY_READ, objects.kernelCaller(), true, false);
    if (!root.status().isSuccess()) {
      throw new IllegalStateException("cannot insert \\REGISTRY: " + root.status());
    }
    this.rootHandle = root.handle();
  }

  /**
   * Opens the hive in {@code hiveFile} (creating it), lays out the standard keys, and puts
   * {@code \REGISTRY} into the namespace. Models {@code CmInitSystem1} (partial).
   *
   * @throws UncheckedIOException if the hive cannot be opened
   */
  public static Registry boot(ObjectManager objects, Path hiveFile, SecurityDescriptor keySecurity) {
    try {
      HostFiles.createPrivateDirectories(hiveFile.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + hiveFile.getParent(), e);
    }
    Hive.OpenResult opened = Hive.open(hiveFile);
    if (!opened.status().isSuccess()) {
      throw new IllegalStateException("cannot open the hive " + hiveFile + ": " + opened.status());
    }
    Hive hive = opened.hive();
    try {
      HiveLayout.ensure(hive);
      return new Registry(objects, hive, keySecurity);
    } catch (RuntimeException e) {
      hive.close();
      throw e;
    }
  }

  /** The Key object type. */
  public ObjectType keyType() {
    return keyType;
  }

  /** The hive behind the keys. */
  public Hive hive() {
    return hive;
  }

  // ---------------------------------------------------------------------------------------------
  // The parse procedure

  private ParseProcedure.Result parseKey(ParseProcedure.Request request) {
    KeyObject start = (KeyObject) request.parseObject();
    KeyOpen open = request.context() instanceof KeyOpen k ? k : new KeyOpen(false, 0);
    List<String> components = new ArrayList<>();
    // Past a key in the namespace the rest keeps its separator; a relative name has none.
    String remaining = request.remainingName().startsWith("\\")
        ? request.remainingName().substring(1) : request.remainingName();
    if (request.remainingName().equals("\\")) {
      return ParseProcedure.Result.failure(STATUS_OBJECT_NAME_INVALID); // a trailing separator
    }
    if (!remaining.isEmpty()) {
      for (String component : remaining.split("\\\\", -1)) {
        if (component.isEmpty() || component.length() > KeyNames.MAX_KEY_NAME_LENGTH) {
          return ParseProcedure.Result.failure(STATUS_OBJECT_NAME_INVALID);
        }
        components.add(component);
      }
    }
    boolean openLink = (request.attributes() & ObjectAttributes.OBJ_OPENLINK) != 0
        || (open.options & REG_OPTION_OPEN_LINK) != 0;
    KeyResult found = hive.resolvePath(start.keyId(), components, !openLink);
    long keyId;
    if (found.status().isSuccess()) {
      keyId = found.keyId();
      open.disposition = Hive.REG_OPENED_EXISTING_KEY;
    } else if (open.create && found.status().equals(STATUS_OBJECT_NAME_NOT_FOUND) && !components.isEmpty()) {
      KeyResult parent = hive.resolvePath(start.keyId(), components.subList(0, components.size() - 1), true);
      if (!parent.status().isSuccess()) {
        return ParseProcedure.Result.failure(parent.status());
      }
      if (!allowed(AccessMask.KEY_CREATE_SUB_KEY, request.caller()).status().isSuccess()) {
        return ParseProcedure.Result.failure(STATUS_ACCESS_DENIED);
      }
      CreateKeyResult created = hive.createKey(parent.keyId(), components.get(components.size() - 1),
          open.options & (REG_OPTION_VOLATILE | REG_OPTION_CREATE_LINK));
      if (!created.status().isSuccess()) {
        return ParseProcedure.Result.failure(created.status());
      }
      keyId = created.keyId();
      open.disposition = created.disposition();
    } else {
      return ParseProcedure.Result.failure(found.status());
    }
    AccessCheckResult access = allowed(request.desiredAccess(), request.caller());
    if (!access.status().isSuccess()) {
      return ParseProcedure.Result.failure(access.status());
    }
    return ParseProcedure.Result.found(STATUS_SUCCESS, new KeyObject(keyType, hive, keyId),
        access.grantedAccess());
  }

  private AccessCheckResult allowed(int desiredAccess, Caller caller) {
    return AccessCheck.accessCheck(keySecurity, caller.token(), desiredAccess, KEY_MAPPING,
        caller.previousMode(), false);
  }

  // ---------------------------------------------------------------------------------------------
  // The system services

  /**
   * Opens or creates a key. Models {@code NtCreateKey} (partial: no class, no title index).
   *
   * @param options {@code REG_OPTION_*}
   */
  public KeyCreateResult ntCreateKey(Caller caller, int desiredAccess, ObjectAttributes attributes, int options) {
    if ((options & ~VALID_OPTIONS) != 0) {
      return new KeyCreateResult(STATUS_INVALID_PARAMETER, Handle.NULL, 0);
    }
    KeyOpen open = new KeyOpen(true, options);
    OpenResult opened = objects.openByName(attributes, keyType, desiredAccess, caller, open);
    return new KeyCreateResult(opened.status(), opened.handle(), opened.status().isSuccess() ? open.disposition : 0);
  }

  /** Opens a key. Models {@code NtOpenKey} (full). */
  public OpenResult ntOpenKey(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return objects.openByName(attributes, keyType, desiredAccess, caller, new KeyOpen(false, 0));
  }

  /**
   * Deletes a key; refused while it has subkeys. Models {@code NtDeleteKey} (full); needs
   * {@code DELETE}.
   */
  public NtStatus ntDeleteKey(Caller caller, Handle key) {
    return withKey(caller, key, AccessMask.DELETE, k -> hive.deleteKey(k.keyId()));
  }

  /**
   * Sets a value. Models {@code NtSetValueKey} (full); needs {@code KEY_SET_VALUE}.
   *
   * @param valueName the value's name; empty for the default value
   * @param data the bytes, exactly as stored
   */
  public NtStatus ntSetValueKey(Caller caller, Handle key, UnicodeString valueName, int type, byte[] data) {
    NtStatus name = captureValueName(valueName);
    if (!name.isSuccess()) {
      return name;
    }
    if (data == null) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    return withKey(caller, key, AccessMask.KEY_SET_VALUE,
        k -> hive.setValue(k.keyId(), valueName.text(), type, data));
  }

  /** Reads a value. Models {@code NtQueryValueKey} with KeyValueFullInformation (full). */
  public ValueResult ntQueryValueKey(Caller caller, Handle key, UnicodeString valueName) {
    NtStatus name = captureValueName(valueName);
    if (!name.isSuccess()) {
      return new ValueResult(name, null);
    }
    return withKeyResult(caller, key, AccessMask.KEY_QUERY_VALUE,
        k -> hive.queryValue(k.keyId(), valueName.text()), s -> new ValueResult(s, null));
  }

  /**
   * Values of the key {@code keyPath} as the kernel reads its own configuration: through a kernel
   * handle opened (case-insensitively) and closed here, one open for all of {@code valueNames}. A
   * missing key or value is absent from the map. Models {@code RtlQueryRegistryValues} with {@code
   * RTL_REGISTRY_ABSOLUTE} (partial: the values as stored, no defaults, no callbacks).
   */
  public Map<String, RegValue> queryKernelValues(Caller caller, String keyPath, String... valueNames) {
    OpenResult opened = ntOpenKey(caller, AccessMask.KEY_READ, new ObjectAttributes(Handle.NULL,
        UnicodeString.of(keyPath), ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
    if (!opened.status().isSuccess()) {
      return Map.of();
    }
    Map<String, RegValue> found = new HashMap<>();
    try {
      for (String name : valueNames) {
        ValueResult value = ntQueryValueKey(caller, opened.handle(), UnicodeString.of(name));
        if (value.status().isSuccess()) {
          found.put(name, value.value());
        }
      }
    } finally {
      objects.close(opened.handle(), caller);
    }
    return found;
  }

  /** Deletes a value. Models {@code NtDeleteValueKey} (full); needs {@code KEY_SET_VALUE}. */
  public NtStatus ntDeleteValueKey(Caller caller, Handle key, UnicodeString valueName) {
    NtStatus name = captureValueName(valueName);
    if (!name.isSuccess()) {
      return name;
    }
    return withKey(caller, key, AccessMask.KEY_SET_VALUE, k -> hive.deleteValue(k.keyId(), valueName.text()));
  }

  /**
   * The name of the subkey at {@code index}, in NT's order. Models {@code NtEnumerateKey} with
   * KeyBasicInformation (full); needs {@code KEY_ENUMERATE_SUB_KEYS}.
   */
  public KeyNameResult ntEnumerateKey(Caller caller, Handle key, int index) {
    return withKeyResult(caller, key, AccessMask.KEY_ENUMERATE_SUB_KEYS, k -> {
      EnumeratedKey entry = hive.enumerateKey(k.keyId(), index);
      return new KeyNameResult(entry.status(), entry.status().isSuccess() ? entry.name() : null);
    }, s -> new KeyNameResult(s, null));
  }

  /**
   * The value at {@code index}, in creation order. Models {@code NtEnumerateValueKey} with
   * KeyValueFullInformation (full); needs {@code KEY_QUERY_VALUE}.
   */
  public ValueResult ntEnumerateValueKey(Caller caller, Handle key, int index) {
    return withKeyResult(caller, key, AccessMask.KEY_QUERY_VALUE,
        k -> hive.enumerateValue(k.keyId(), index), s -> new ValueResult(s, null));
  }

  /**
   * The key's full name and counts. Models {@code NtQueryKey} with KeyFullInformation and
   * KeyNameInformation (partial); needs {@code KEY_QUERY_VALUE}.
   */
  public KeyInfoResult ntQueryKey(Caller caller, Handle key) {
    return withKeyResult(caller, key, AccessMask.KEY_QUERY_VALUE, k -> hive.info(k.keyId()),
        s -> new KeyInfoResult(s, null));
  }

  /** Writes the hive to disk. Models {@code NtFlushKey} (full). */
  public NtStatus ntFlushKey(Caller caller, Handle key) {
    return withKey(caller, key, 0, k -> hive.flush());
  }

  private interface KeyCall<T> {
    T apply(KeyObject key);
  }

  private NtStatus withKey(Caller caller, Handle key, int access, KeyCall<NtStatus> call) {
    return withKeyResult(caller, key, access, call, s -> s);
  }

  private <T> T withKeyResult(
      Caller caller, Handle key, int access, KeyCall<T> call, java.util.function.Function<NtStatus, T> failure) {
    Referenced<KeyObject> found = objects.referenceByHandle(key, access, keyType, caller);
    if (!found.isSuccess()) {
      return failure.apply(found.status());
    }
    try {
      return call.apply(found.object());
    } finally {
      found.object().dereference();
    }
  }

  private static NtStatus captureValueName(UnicodeString name) {
    if (name == null || !name.isReadable()) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if ((name.length() & 1) != 0 || name.length() > name.maximumLength()) {
      return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
  }

  // ---------------------------------------------------------------------------------------------
  // Kernel-side helpers

  /**
   * A key and its subtree as {@code .reg} text, as regedit exports it. The key is opened by name
   * for {@code KEY_READ}, so the caller's access is checked.
   */
  public RegExportResult exportKey(Caller caller, String keyPath) {
    OpenResult opened = ntOpenKey(caller, AccessMask.KEY_READ, ObjectAttributes.of(keyPath));
    if (!opened.status().isSuccess()) {
      return new RegExportResult(opened.status(), "", "cannot open " + keyPath);
    }
    try {
      return withKeyResult(caller, opened.handle(), AccessMask.KEY_READ,
          k -> RegFile.export(hive, k.keyId()),
          s -> new RegExportResult(s, "", "cannot read " + keyPath));
    } finally {
      objects.close(opened.handle(), caller);
    }
  }

  /**
   * Imports a {@code .reg} file, all or nothing, as regedit imports it. The caller needs the
   * rights to create keys, set values and delete keys; one descriptor guards every key, so one
   * check decides for the whole file.
   */
  public RegImportResult importFile(Caller caller, byte[] file) {
    AccessCheckResult access = allowed(AccessMask.KEY_WRITE | AccessMask.DELETE, caller);
    if (!access.status().isSuccess()) {
      return new RegImportResult(access.status(), 0, "the caller may not write the registry");
    }
    return RegFile.importBytes(hive, file);
  }

  /** Closes the root handle and flushes and closes the hive. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    objects.close(rootHandle, objects.kernelCaller());
    hive.close();
  }
}
