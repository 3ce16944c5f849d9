package ntio.kernel.loader;

import java.util.Objects;

/**
 * One rule of the image policy's deny list, as an administrator writes it:
 *
 * <ul>
 *   <li>{@code java.lang.System#exit}: the member {@code exit} of {@code java.lang.System}, with any
 *       descriptor, named through the class or any subtype that inherits it;
 *   <li>{@code java.lang.System#exit(I)V}: that member with exactly that descriptor;
 *   <li>{@code java.lang.invoke.MethodHandles$Lookup#*}: every member of the class (constructors
 *       only when named through the class itself, as constructors are not inherited); the class
 *       may still be named as a type;
 *   <li>{@code java.lang.ProcessBuilder}: the class itself — any reference to it, as a type or
 *       through a member;
 *   <li>{@code java.beans.**}: every class in the package and its subpackages, as {@code
 *       java.lang.ProcessBuilder} is one class.
 * </ul>
 *
 * <p>Nested classes are written with {@code $}, as the JVM names them. Immutable.
 *
 * @param text the rule as written, for messages
 * @param owner the internal name of the class ({@code java/lang/System}), or the package prefix
 *     with a trailing slash ({@code java/beans/}) for a package rule
 * @param member the member's name, {@code *} for every member, or null for a class or package rule
 * @param descriptor the member's descriptor, or null for any
 */
record DeniedMember(String text, String owner, String member, String descriptor) {

  DeniedMember {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(owner, "owner");
  }

  /**
   * Parses a rule.
   *
   * @throws IllegalArgumentException naming the rule and what is wrong with it
   */
  static DeniedMember parse(String rule) {
    String text = rule.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an empty rule");
    }
    if (text.endsWith(".**")) {
      String pkg = text.substring(0, text.length() - 3);
      checkName(text, pkg);
      return new DeniedMember(text, pkg.replace('.', '/') + "/", null, null);
    }
    int hash = text.indexOf('#');
    if (hash < 0) {
      checkName(text, text);
      return new DeniedMember(text, text.replace('.', '/'), null, null);
    }
    String owner = text.substring(0, hash);
    checkName(text, owner);
    String rest = text.substring(hash + 1);
    int paren = rest.indexOf('(');
    String member = paren < 0 ? rest : rest.substring(0, paren);
    String descriptor = paren < 0 ? null : rest.substring(paren);
    if (member.isEmpty() || (!member.equals("*") && !member.equals("<init>")
        && !Character.isJavaIdentifierStart(member.codePointAt(0)))) {
      throw new IllegalArgumentException("rule \"" + text + "\" names no member after #");
    }
    if (descriptor != null) {
      if (member.equals("*")) {
        throw new IllegalArgumentException("rule \"" + text + "\": * takes no descriptor");
      }
      try {
        ClassFile.Descriptors.method(descriptor, new java.util.HashSet<>());
      } catch (BadImageException e) {
        throw new IllegalArgumentException("rule \"" + text + "\": " + e.getMessage());
      }
    }
    return new DeniedMember(text, owner.replace('.', '/'), member, descriptor);
  }

  private static void checkName(String rule, String name) {
    boolean identifiers = !name.isEmpty();
    for (String part : name.split("\\.", -1)) {
      identifiers &= !part.isEmpty() && Character.isJavaIdentifierStart(part.codePointAt(0))
          && part.codePoints().allMatch(Character::isJavaIdentifierPart);
    }
    if (!identifiers) {
      throw new IllegalArgumentException("rule \"" + rule + "\" does not name a class or package"
          + " (write java.lang.System#exit, java.lang.ProcessBuilder or java.beans.**)");
    }
  }

  /** Whether this rule denies every reference to the class {@code internalName}, type or member. */
  boolean deniesClass(String internalName) {
    if (member != null) {
      return false;
    }
    return owner.endsWith("/") ? internalName.startsWith(owner) : internalName.equals(owner);
  }

  /**
   * Whether this rule denies the member {@code name descriptor} of {@code declaringClass}, named
   * through {@code declaringClass} itself ({@code direct}) or through a subtype that inherits it.
   */
  boolean deniesMember(String declaringClass, String name, String descriptor, boolean direct) {
    if (member == null) {
      return deniesClass(declaringClass) && (direct || !name.equals("<init>"));
    }
    if (!declaringClass.equals(owner)) {
      return false;
    }
    if (name.equals("<init>") && !direct) {
      return false;
    }
    if (member.equals("*")) {
      return true;
    }
    return member.equals(name) && (this.descriptor == null || this.descriptor.equals(descriptor));
  }

  @Override
  public String toString() {
    return text;
  }
}
