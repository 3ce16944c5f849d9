package ntio.kernel.loader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import ntio.ddk.NtStatus;

/**
 * The image policy's deny list: which JDK members and classes no driver image may refer to,
 * checked at map time on the class files alone, before any class of the image is defined. An image
 * that refers to one — from an instruction, a method handle constant, a lambda or any other
 * bootstrap argument, all of which go through the constant pool — is refused with {@code
 * STATUS_DRIVER_BLOCKED_CRITICAL}, naming the member and the image class that refers to it.
 *
 * <p>It is NT's block list of drivers known to be incompatible with the system, applied to what an
 * image imports rather than to its hash: this host cannot run code that ends it, escapes it or
 * outlives its unload. The built-in rules are {@link DeniedMembers#DEFAULTS}; an administrator adds
 * more ({@link #withAdditional}). Immutable and thread-safe.
 */
public final class MemberPolicy {

  /*
   * Implementation notes:
   *
   * A reference names a member through a class (Methodref's class_index) that need not declare it:
   * MyThread.getContextClassLoader, or Field.setAccessible, resolve to Thread's and
   * AccessibleObject's. So a reference is checked against every supertype of the class it names:
   * the image's own classes from their class files, exported classes (java.*, the DDK, the
   * framework) loaded, never initialized, through the import filter. That is conservative where a
   * subtype overrides the member: the reference is still refused, which only costs a driver that
   * overrides a denied member under the same name. Constructors are not inherited, so they match
   * only the class named.
   *
   * The check runs after ImageImports, so every class a reference names is the image's own or
   * exported; a supertype that cannot be loaded (a java.* class of a module this JVM lacks) ends
   * the walk there.
   */

  private static final MemberPolicy DEFAULT = new MemberPolicy(DeniedMembers.defaults(), List.of());

  private final List<DeniedMember> rules;
  private final List<String> additional;

  private MemberPolicy(List<DeniedMember> rules, List<String> additional) {
    this.rules = List.copyOf(rules);
    this.additional = List.copyOf(additional);
  }

  /**
   * No rules at all: for a kernel configured not to enforce the deny list (tests of what it
   * otherwise prevents). No NT counterpart ({@code nointegritychecks}).
   */
  public static MemberPolicy none() {
    return new MemberPolicy(List.of(), List.of());
  }

  /** The built-in rules only. No NT counterpart (the driver block list's defaults). */
  public static MemberPolicy defaults() {
    return DEFAULT;
  }

  /**
   * This policy with more rules, in the syntax {@link DeniedMember} documents ({@code
   * java.lang.System#exit}, {@code java.lang.ProcessBuilder}, {@code java.beans.**}).
   *
   * @throws IllegalArgumentException naming the first rule that is not well formed
   */
  public MemberPolicy withAdditional(List<String> more) {
    List<DeniedMember> all = new ArrayList<>(rules);
    List<String> texts = new ArrayList<>(additional);
    for (String text : more) {
      all.add(DeniedMember.parse(Objects.requireNonNull(text, "rule")));
      texts.add(text.strip());
    }
    return new MemberPolicy(all, texts);
  }

  /** Whether {@code rule} is a well-formed rule; the reason it is not otherwise. */
  public static java.util.Optional<String> problemWith(String rule) {
    try {
      DeniedMember.parse(rule);
      return java.util.Optional.empty();
    } catch (IllegalArgumentException e) {
      return java.util.Optional.of(e.getMessage());
    }
  }

  /** The rules an administrator added, as written. */
  public List<String> additionalRules() {
    return additional;
  }

  /**
   * Checks an image's classes, in the order given.
   *
   * @param imports where exported supertypes are looked up (loaded, never initialized)
   * @throws BadImageException {@code STATUS_DRIVER_BLOCKED_CRITICAL} naming the first denied
   *     member or class and the image class that refers to it
   */
  void check(Collection<ClassFile> classes, ClassLoader imports) throws BadImageException {
    Map<String, ClassFile> own = new HashMap<>();
    for (ClassFile file : classes) {
      own.put(file.name(), file);
    }
    Map<String, List<String>> supertypes = new HashMap<>();
    for (ClassFile file : classes) {
      for (ClassFile.MemberRef reference : file.members()) {
        if (reference.owner().startsWith("[")) {
          continue; // an array's clone(): nothing to deny
        }
        List<String> chain = supertypes.computeIfAbsent(reference.owner(),
            owner -> supertypesOf(owner, own, imports));
        for (String declaring : chain) {
          boolean direct = declaring.equals(reference.owner());
          for (DeniedMember rule : rules) {
            if (rule.deniesMember(declaring, reference.name(), reference.descriptor(), direct)) {
              throw denied(reference, declaring, rule, file);
            }
          }
        }
      }
      for (String type : file.references()) {
        for (DeniedMember rule : rules) {
          if (rule.deniesClass(type)) {
            throw new BadImageException(NtStatus.STATUS_DRIVER_BLOCKED_CRITICAL,
                "denied class: " + type.replace('/', '.') + ", referenced by "
                    + file.binaryName() + " (image policy rule " + rule + ")");
          }
        }
      }
    }
  }

  private static BadImageException denied(ClassFile.MemberRef reference, String declaring,
      DeniedMember rule, ClassFile file) {
    String member = declaring.replace('/', '.') + "." + reference.name()
        + (reference.field() ? ":" : "") + reference.descriptor();
    String named = declaring.equals(reference.owner())
        ? ""
        : " (named as " + reference.describe() + ")";
    return new BadImageException(NtStatus.STATUS_DRIVER_BLOCKED_CRITICAL,
        "denied member: " + member + named + ", referenced by " + file.binaryName()
            + " (image policy rule " + rule + ")");
  }

  /** {@code owner} and every class and interface above it, nearest first. */
  private static List<String> supertypesOf(String owner, Map<String, ClassFile> own,
      ClassLoader imports) {
    Set<String> seen = new LinkedHashSet<>();
    collect(owner, own, imports, seen);
    return List.copyOf(seen);
  }

  private static void collect(String name, Map<String, ClassFile> own, ClassLoader imports,
      Set<String> seen) {
    if (!seen.add(name)) {
      return;
    }
    ClassFile file = own.get(name);
    if (file != null) {
      if (file.superName() != null) {
        collect(file.superName(), own, imports, seen);
      }
      for (String superInterface : file.interfaces()) {
        collect(superInterface, own, imports, seen);
      }
      return;
    }
    if (!ImportFilterLoader.isExported(name)) {
      return;
    }
    Class<?> type;
    try {
      type = Class.forName(name.replace('/', '.'), false, imports);
    } catch (ClassNotFoundException | LinkageError e) {
      return;
    }
    collect(type, seen);
  }

  private static void collect(Class<?> type, Set<String> seen) {
    for (Class<?> superInterface : type.getInterfaces()) {
      if (seen.add(superInterface.getName().replace('.', '/'))) {
        collect(superInterface, seen);
      }
    }
    Class<?> superclass = type.getSuperclass();
    if (superclass != null && seen.add(superclass.getName().replace('.', '/'))) {
      collect(superclass, seen);
    }
  }

  @Override
  public String toString() {
    return "MemberPolicy[" + rules.size() + " rules, " + additional.size() + " added]";
  }
}
