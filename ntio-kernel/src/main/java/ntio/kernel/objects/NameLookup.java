package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
import static ntio.ddk.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static ntio.ddk.NtStatus.STATUS_REPARSE;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.api.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * Name lookup: walking the namespace for a name, following symbolic links, handing the rest of a
 * name to a parse procedure and starting again on a reparse. Models NT's {@code obname.c}
 * ({@code ObpLookupObjectName}), with {@code ObReferenceObjectByName} and
 * {@code ObOpenObjectByName}; the public contracts are on {@link ObjectManager}. Where a new name
 * goes is {@link NameInsertion}'s walk, which starts as this one does ({@link #startOfName}).
 *
 * <p>Implementation notes: each step of a walk holds the namespace read lock, and releases it
 * before a parse procedure (which may run driver code) or a reparse. An object found in a
 * directory is referenced before the lock is released; since a named object always holds a
 * reference (its handles' or its permanent one), that reference can never resurrect a freed
 * object.
 */
final class NameLookup {

  /** {@code OBJ_MAX_REPARSE_ATTEMPTS}: how many symbolic links or reparses one lookup follows. */
  static final int MAX_REPARSE = 32;

  private final Namespace namespace;
  private final ObjectSecurity security;
  private final ObjectHandles handles;
  private final ObjectType symbolicLinkType;

  NameLookup(Namespace namespace, ObjectSecurity security, ObjectHandles handles, ObjectType symbolicLinkType) {
    this.namespace = namespace;
    this.security = security;
    this.handles = handles;
    this.symbolicLinkType = symbolicLinkType;
  }

  /** See {@link ObjectManager#referenceByName(ObjectAttributes, ObjectType, int, Caller, ParseContext)}. */
  @SuppressWarnings("unchecked")
  <T extends KernelObject> Referenced<T> referenceByName(
      ObjectAttributes attributes,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    if (attributes == null || attributes.objectName() == null) {
      return Referenced.failed(STATUS_OBJECT_NAME_INVALID);
    }
    int attrs = AttributeCapture.effective(attributes.attributes(), caller);
    Referenced<KernelObject> found = lookup(attributes, attrs, expectedType, desiredAccess, caller, context);
    return (Referenced<T>) found;
  }

  /** See {@link ObjectManager#openByName}. */
  OpenResult openByName(
      ObjectAttributes attributes,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    if (attributes == null) {
      return OpenResult.failed(STATUS_INVALID_PARAMETER);
    }
    if (attributes.objectName() == null) {
      return OpenResult.failed(STATUS_OBJECT_NAME_INVALID);
    }
    int attrs = AttributeCapture.effective(attributes.attributes(), caller);
    NtStatus check = AttributeCapture.check(attrs, expectedType, caller, security);
    if (!check.isSuccess()) {
      return OpenResult.failed(check);
    }
    Referenced<KernelObject> found = lookup(attributes, attrs, expectedType, desiredAccess, caller, context);
    if (!found.isSuccess()) {
      return OpenResult.failed(found.status());
    }
    try {
      OpenResult opened = handles.createHandle(found.object(), found.grantedAccess(), attrs, caller);
      return opened.status().isSuccess() ? new OpenResult(found.status(), opened.handle()) : opened;
    } finally {
      found.object().dereference();
    }
  }

  private Referenced<KernelObject> lookup(
      ObjectAttributes attributes,
      int attrs,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    Directory root = namespace.root();
    UnicodeString name = attributes.objectName();
    Referenced<KernelObject> start = startOfName(attributes.rootDirectory(), name, caller, true);
    if (!start.isSuccess()) {
      return start;
    }
    String completeName = name.text();
    KernelObject current = start.object();
    String remaining = current == root && attributes.rootDirectory().isNull()
        ? stripRoot(completeName) : completeName;
    try {
      for (int reparses = 0; reparses <= MAX_REPARSE; reparses++) {
        Step step = step(current, remaining, attrs, expectedType, caller);
        if (step.found != null) {
          return finish(step.found, null, attrs, expectedType, desiredAccess, caller);
        }
        String reparse;
        if (step.parseObject != null) {
          ParseProcedure.Result result;
          try {
            result = step.parseObject.type().parseProcedure().parse(
                new ParseProcedure.Request(step.parseObject, expectedType, completeName,
                    step.remaining, attrs, desiredAccess, caller, context));
          } finally {
            step.parseObject.dereference();
          }
          if (!result.status().equals(STATUS_REPARSE)) {
            if (!result.status().isSuccess() || result.object() == null) {
              return Referenced.failed(result.status().isSuccess() ? STATUS_OBJECT_NAME_NOT_FOUND : result.status());
            }
            return finish(result.object(), result, attrs, expectedType, desiredAccess, caller);
          }
          reparse = result.reparseName();
        } else if (step.reparseName != null) {
          reparse = step.reparseName;
        } else {
          return Referenced.failed(step.status);
        }
        // A symbolic link or a parse procedure named another absolute name: start again at \.
        // Its components are checked as the walk reaches them (a trailing \ may be a device's).
        if (!reparse.startsWith("\\")) {
          return Referenced.failed(STATUS_OBJECT_PATH_SYNTAX_BAD);
        }
        completeName = reparse;
        current.dereference();
        current = root;
        root.reference();
        remaining = stripRoot(completeName);
      }
      return Referenced.failed(STATUS_OBJECT_NAME_NOT_FOUND);
    } finally {
      current.dereference();
    }
  }

  private Referenced<KernelObject> finish(
      KernelObject object,
      ParseProcedure.Result parsed,
      int attrs,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller) {
    if (expectedType != null && object.type() != expectedType) {
      object.dereference();
      return Referenced.failed(STATUS_OBJECT_TYPE_MISMATCH);
    }
    if (parsed != null) {
      return new Referenced<>(parsed.status(), object, parsed.grantedAccess());
    }
    ObjectSecurity.Decision decision =
        security.check(object, desiredAccess, caller, AttributeCapture.forceAccessCheck(attrs));
    if (!decision.status().isSuccess()) {
      object.dereference();
      return Referenced.failed(decision.status());
    }
    return new Referenced<>(STATUS_SUCCESS, object, decision.grantedAccess());
  }

  /** One step of a lookup: found, hand over to a parse procedure, reparse, or fail. */
  private record Step(
      NtStatus status, KernelObject found, KernelObject parseObject, String remaining, String reparseName) {}

  private Step step(KernelObject current, String remaining, int attrs, ObjectType expectedType, Caller caller) {
    namespace.readLock().lock();
    try {
      if (!(current instanceof Directory directory)) {
        if (current.type().parseProcedure() != null) {
          current.reference();
          return new Step(null, null, current, remaining, null);
        }
        if (remaining.isEmpty()) {
          current.reference();
          return new Step(STATUS_SUCCESS, current, null, null, null);
        }
        return new Step(STATUS_OBJECT_TYPE_MISMATCH, null, null, null, null);
      }
      if (directory == namespace.root() && isDosDevicesPath(remaining)) {
        directory = namespace.dosDevices();
        remaining = stripDosDevices(remaining);
      }
      if (remaining.isEmpty()) {
        directory.reference();
        return new Step(STATUS_SUCCESS, directory, null, null, null);
      }
      while (true) {
        // As ObpLookupObjectName: what follows a component keeps its separator, so a parse
        // procedure sees "\\x" (or a lone "\\") and a link's target is joined to it as it is.
        int slash = remaining.indexOf('\\');
        String component = slash < 0 ? remaining : remaining.substring(0, slash);
        String rest = slash < 0 ? "" : remaining.substring(slash);
        if (component.isEmpty()) {
          return new Step(STATUS_OBJECT_NAME_INVALID, null, null, null, null);
        }
        KernelObject object = directory.lookupLocked(component);
        if (object == null) {
          return new Step(rest.isEmpty() ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND,
              null, null, null, null);
        }
        if (object instanceof SymbolicLink link) {
          boolean openLinkItself = rest.isEmpty()
              && ((attrs & ObjectAttributes.OBJ_OPENLINK) != 0 || expectedType == symbolicLinkType);
          if (!openLinkItself) {
            String target = link.target();
            String joined = rest.isEmpty() ? target
                : target.endsWith("\\") ? target + rest.substring(1) : target + rest;
            return new Step(null, null, null, null, joined);
          }
          object.reference();
          return new Step(STATUS_SUCCESS, object, null, null, null);
        }
        boolean parseHere = object.type().parseProcedure() != null
            && (!rest.isEmpty() || expectedType != object.type());
        if (parseHere) {
          object.reference();
          return new Step(null, null, object, rest, null);
        }
        if (rest.isEmpty()) {
          object.reference();
          return new Step(STATUS_SUCCESS, object, null, null, null);
        }
        if (!(object instanceof Directory next)) {
          return new Step(STATUS_OBJECT_TYPE_MISMATCH, null, null, null, null);
        }
        if (!security.mayTraverse(next, caller)) {
          return new Step(STATUS_ACCESS_DENIED, null, null, null, null);
        }
        directory = next;
        // Past the separator: a trailing or doubled \\ leaves an empty component, refused above.
        remaining = rest.substring(1);
      }
    } finally {
      namespace.readLock().unlock();
    }
  }

  /**
   * Validates a name and references where its lookup starts: the root for an absolute name, or
   * the object behind the root handle for a relative one.
   *
   * @param lookup true for a lookup, false for an insert: an insert checks an absolute name whole
   *     at once, and never gives a relative name with a stray separator to a File root
   */
  Referenced<KernelObject> startOfName(
      Handle rootHandle, UnicodeString name, Caller caller, boolean lookup) {
    if (name == null) {
      return Referenced.failed(STATUS_OBJECT_NAME_INVALID);
    }
    if (rootHandle.isNull()) {
      NtStatus valid = lookup ? validateLookupPath(name) : name.validateObjectPath();
      if (!valid.isSuccess()) {
        return Referenced.failed(valid);
      }
      Directory root = namespace.root();
      root.reference();
      return new Referenced<>(STATUS_SUCCESS, root, 0);
    }
    if (!name.isReadable()) {
      return Referenced.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    if ((name.length() & 1) != 0 || name.length() > UnicodeString.MAX_NAME_LENGTH) {
      return Referenced.failed(STATUS_OBJECT_NAME_INVALID);
    }
    String text = name.text();
    boolean malformed = text.startsWith("\\") || text.contains("\\\\") || text.endsWith("\\");
    if (!malformed) {
      return handles.referenceByHandle(rootHandle, 0, null, caller);
    }
    if (lookup) {
      // A File root takes the name whole, separators and all (NT's ObpLookupObjectName hands it
      // to IopParseFile); only a lookup needs the root's type to know.
      Referenced<KernelObject> start = handles.referenceByHandle(rootHandle, 0, null, caller);
      if (start.isSuccess() && start.object().type().parsesWholeRelativeNames()) {
        return start;
      }
      if (start.isSuccess()) {
        start.object().dereference();
      }
    }
    return Referenced.failed(text.startsWith("\\") ? STATUS_OBJECT_PATH_SYNTAX_BAD : STATUS_OBJECT_NAME_INVALID);
  }

  /**
   * The checks of an absolute name before a lookup walks it: readable, whole characters, not too
   * long, rooted. An empty component (a doubled or trailing {@code \}) is refused by the walk
   * when it reaches it inside the namespace, but goes to a device's parse procedure past it, as
   * in NT ({@code \??\Dev\} opens Dev with the name {@code \}).
   */
  private static NtStatus validateLookupPath(UnicodeString name) {
    if (!name.isReadable()) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if ((name.length() & 1) != 0 || name.length() > UnicodeString.MAX_NAME_LENGTH) {
      return STATUS_OBJECT_NAME_INVALID;
    }
    return name.text().startsWith("\\") ? STATUS_SUCCESS : STATUS_OBJECT_PATH_SYNTAX_BAD;
  }

  static boolean isDosDevicesPath(String remaining) {
    return remaining.equals("??") || remaining.startsWith("??\\");
  }

  static String stripDosDevices(String remaining) {
    // "??\\" keeps its separator, so the walk refuses the empty component after it.
    return remaining.length() <= 2 ? "" : remaining.length() == 3 ? "\\" : remaining.substring(3);
  }

  static String stripRoot(String absolute) {
    return absolute.startsWith("\\") ? absolute.substring(1) : absolute;
  }
}
