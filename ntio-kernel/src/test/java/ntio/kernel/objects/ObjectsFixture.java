package ntio.kernel.objects;

import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.ProcessorMode;
import ntio.kernel.security.LuidAllocator;
import ntio.kernel.security.Sddl;
import ntio.kernel.security.SecurityDescriptor;
import ntio.kernel.security.Sid;
import ntio.kernel.security.Token;
import ntio.kernel.security.Tokens;

/** An object manager with a test type and callers of each kind. */
final class ObjectsFixture {

  /** SYSTEM and Administrators all access; Everyone may look and pass through. */
  static final String NAMESPACE_SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;WD)";

  final Tokens tokens = new Tokens(new LuidAllocator());
  final Token systemToken = tokens.system();
  final SecurityDescriptor namespaceSecurity = Sddl.parse(NAMESPACE_SDDL).descriptor().orElseThrow();
  final ObjectManager objects = new ObjectManager(systemToken, namespaceSecurity);
  final AtomicInteger deletes = new AtomicInteger();
  final ObjectType widgetType =
      objects.createType(
          ObjectType.builder("Widget")
              .genericMapping(new GenericMapping(0x20001, 0x20002, 0x20000, 0x1F0003))
              .validAccessMask(0x1F0003)
              .defaultSecurity(namespaceSecurity)
              .onDelete(object -> deletes.incrementAndGet()));
  final Caller kernel = objects.kernelCaller();
  final Caller admin = new TestCaller(new HandleTable("admin", false),
      tokens.administrator(Sid.unixUser(1000)), ProcessorMode.USER);
  final Caller user = new TestCaller(new HandleTable("user", false),
      tokens.standardUser(Sid.unixUser(1001)), ProcessorMode.USER);

  /** A new widget with only its creator's reference. */
  Widget widget() {
    return new Widget(widgetType);
  }

  /** The simplest object: a body with no state of its own. */
  static final class Widget extends KernelObject {
    Widget(ObjectType type) {
      super(type);
    }
  }

  /** A caller with its own handle table. */
  record TestCaller(HandleTable handleTable, Token token, ProcessorMode previousMode) implements Caller {}

  static int all() {
    return AccessMask.GENERIC_ALL;
  }
}
