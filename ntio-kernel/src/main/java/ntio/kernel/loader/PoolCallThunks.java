package ntio.kernel.loader;

import java.nio.charset.StandardCharsets;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a class of a verified image so that each of its {@code KernelServices
 * .allocatePoolWithTag(type, size, tag)} calls passes its own call site as a fourth argument, a
 * constant: {@code image:<file>//<class>.<method>(<source>:<line>)}, the text a {@link
 * StackTraceElement} of that frame would print.
 *
 * <p>Models how Driver Verifier thunks a verified driver's imports when it is loaded ({@code
 * MiApplyDriverVerifier} patching the import address table so {@code ExAllocatePoolWithTag} goes
 * to {@code VerifierAllocatePoolWithTag}), and the return address that thunk records (full for
 * pool allocations; ntio thunks no other import).
 *
 * @implNote Only {@code invokeinterface} of {@code ntio/ddk/KernelServices} with the exact
 *     descriptor is redirected: that is how a driver's call compiles. A call reaching the method
 *     some other way (reflection, a method handle, the framework on the driver's behalf) keeps
 *     the three-argument form, and pool tracking captures the stack for it instead. The new
 *     argument is pushed right before the call, so no stack map frame changes; the class writer
 *     only recomputes each method's maximum stack.
 */
final class PoolCallThunks {

  static final String SERVICES = "ntio/ddk/KernelServices";
  static final String ALLOCATE = "allocatePoolWithTag";
  static final String PLAIN =
      "(Lntio/ddk/PoolType;JI)Lntio/ddk/KernelServices$PoolResult;";
  static final String WITH_SITE =
      "(Lntio/ddk/PoolType;JILjava/lang/String;)Lntio/ddk/KernelServices$PoolResult;";

  private static final byte[] ALLOCATE_BYTES = ALLOCATE.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAIN_BYTES = PLAIN.getBytes(StandardCharsets.US_ASCII);

  private PoolCallThunks() {}

  /**
   * The class {@code bytes} with its pool calls redirected, or {@code bytes} itself when it makes
   * none.
   *
   * @param loaderName the image loader's name, {@code image:<file>}, that prefixes each site
   */
  static byte[] redirect(byte[] bytes, String loaderName) {
    if (!mentions(bytes)) {
      return bytes;
    }
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(new Redirect(writer, loaderName), 0);
    return writer.toByteArray();
  }

  /**
   * Whether the class file holds the method's name and descriptor at all (as constant pool text,
   * which for these ASCII strings is their bytes): most classes are left as they are, unparsed.
   */
  private static boolean mentions(byte[] bytes) {
    return contains(bytes, PLAIN_BYTES) && contains(bytes, ALLOCATE_BYTES);
  }

  private static boolean contains(byte[] bytes, byte[] wanted) {
    outer:
    for (int i = 0; i <= bytes.length - wanted.length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (bytes[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static final class Redirect extends ClassVisitor {
    private final String loaderName;
    private String className;
    private String source = "Unknown Source";

    Redirect(ClassVisitor next, String loaderName) {
      super(Opcodes.ASM9, next);
      this.loaderName = loaderName;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      className = name.replace('/', '.');
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public void visitSource(String file, String debug) {
      if (file != null) {
        source = file;
      }
      super.visitSource(file, debug);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      return new MethodVisitor(Opcodes.ASM9, next) {
        private int line = -1;

        @Override
        public void visitLineNumber(int number, Label start) {
          line = number;
          super.visitLineNumber(number, start);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String method, String type,
            boolean isInterface) {
          if (opcode == Opcodes.INVOKEINTERFACE && SERVICES.equals(owner)
              && ALLOCATE.equals(method) && PLAIN.equals(type)) {
            super.visitLdcInsn(site(name));
            super.visitMethodInsn(opcode, owner, method, WITH_SITE, isInterface);
            return;
          }
          super.visitMethodInsn(opcode, owner, method, type, isInterface);
        }

        private String site(String methodName) {
          String where = line >= 0 ? source + ":" + line : source;
          return loaderName + "//" + className + "." + methodName + "(" + where + ")";
        }
      };
    }
  }
}
