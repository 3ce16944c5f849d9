package ntio.kernel.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;

/**
 * The Security Descriptor Definition Language subset NT drivers use. Models {@code
 * ConvertStringSecurityDescriptorToSecurityDescriptor} / {@code
 * ConvertSecurityDescriptorToStringSecurityDescriptor} as the kernel's {@code IoCreateDeviceSecure}
 * and {@code wdmsec.h} use them (partial: see below).
 *
 * <p>Grammar: sections {@code O:owner}, {@code G:group} and {@code D:flags(ace)(ace)…}, each at
 * most once, in any order. DACL flags: {@code P} (protected) and {@code NO_ACCESS_CONTROL} (a NULL
 * DACL). An ACE is {@code (type;flags;rights;;;sid)}: type {@code A} or {@code D}; flags from
 * {@code OI CI NP IO ID}; rights {@code 0x…} hex or a run of the codes {@code GA GR GW GX RC SD
 * WD WO KA KR KW KX FA FR FW FX}; a SID alias {@code SY BA BU WD AU IU LS NS CO} or a literal
 * {@code S-1-…}.
 *
 * <p>Malformed text is reported by status, never by an exception: {@code STATUS_INVALID_SID} for a
 * bad owner, group or ACE SID; {@code STATUS_INVALID_ACL} for a bad ACE (field count, type, flags,
 * rights, object GUIDs) or ACEs after {@code NO_ACCESS_CONTROL}; {@code STATUS_INVALID_PARAMETER}
 * for anything else (an unknown or repeated section, an unsupported DACL flag, stray text, a SACL).
 *
 * @implNote Not modelled: SACLs ({@code S:}), the {@code AI}/{@code AR} DACL flags, object and
 *     conditional ACEs, directory-service right codes ({@code RP WP CC …}), rights written in
 *     decimal, and the rarer SID aliases. Formatting prints a right as a composite code when it
 *     equals one ({@code FA} for {@code 0x1f01ff}), else as single-bit codes when every bit has
 *     one, else in lowercase hex; {@code KX} has the same value as {@code KR} and so prints as
 *     {@code KR}, as on Windows.
 */
public final class Sddl {

  /** {@code SDDL_DEVOBJ_KERNEL_ONLY}: a protected empty DACL; only kernel mode may open. */
  public static final String SDDL_DEVOBJ_KERNEL_ONLY = "D:P";

  /** {@code SDDL_DEVOBJ_SYS_ALL}. */
  public static final String SDDL_DEVOBJ_SYS_ALL = "D:P(A;;GA;;;SY)";

  /** {@code SDDL_DEVOBJ_SYS_ALL_ADM_ALL}. */
  public static final String SDDL_DEVOBJ_SYS_ALL_ADM_ALL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";

  /** {@code SDDL_DEVOBJ_SYS_ALL_ADM_RX}. */
  public static final String SDDL_DEVOBJ_SYS_ALL_ADM_RX = "D:P(A;;GA;;;SY)(A;;GRGX;;;BA)";

  /** {@code SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R}. */
  public static final String SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R =
      "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)";

  /** What {@link #parse} returns: a status and, on success, the descriptor. */
  public record ParseResult(NtStatus status, Optional<SecurityDescriptor> descriptor) {

    /** Validates that a descriptor comes exactly with success. */
    public ParseResult {
      Objects.requireNonNull(status, "status");
      if (status.isSuccess() != descriptor.isPresent()) {
        throw new IllegalArgumentException(
            "status " + status + " does not fit descriptor " + descriptor);
      }
    }
  }

  /** SID aliases, in the order they are tried. */
  private static final Map<String, Sid> SID_ALIASES =
      ordered(
          "SY", Sid.LOCAL_SYSTEM,
          "BA", Sid.BUILTIN_ADMINISTRATORS,
          "BU", Sid.BUILTIN_USERS,
          "WD", Sid.EVERYONE,
          "AU", Sid.AUTHENTICATED_USERS,
          "IU", Sid.INTERACTIVE,
          "LS", Sid.LOCAL_SERVICE,
          "NS", Sid.NETWORK_SERVICE,
          "CO", Sid.CREATOR_OWNER);

  private static final Map<Sid, String> ALIAS_OF = inverse(SID_ALIASES);

  /** Single-bit rights, in the order their codes are printed. */
  private static final Map<String, Integer> SINGLE_RIGHTS =
      ordered(
          "GA", AccessMask.GENERIC_ALL,
          "GR", AccessMask.GENERIC_READ,
          "GW", AccessMask.GENERIC_WRITE,
          "GX", AccessMask.GENERIC_EXECUTE,
          "RC", AccessMask.READ_CONTROL,
          "SD", AccessMask.DELETE,
          "WD", AccessMask.WRITE_DAC,
          "WO", AccessMask.WRITE_OWNER);

  /** Rights equal to one code, tried first when formatting. */
  private static final Map<String, Integer> COMPOSITE_RIGHTS =
      ordered(
          "FA", AccessMask.FILE_ALL_ACCESS,
          "FR", AccessMask.FILE_GENERIC_READ,
          "FW", AccessMask.FILE_GENERIC_WRITE,
          "FX", AccessMask.FILE_GENERIC_EXECUTE,
          "KA", AccessMask.KEY_ALL_ACCESS,
          "KR", AccessMask.KEY_READ,
          "KW", AccessMask.KEY_WRITE,
          "KX", AccessMask.KEY_EXECUTE);

  /** ACE flag codes, in the order they are printed. */
  private static final Map<String, Integer> ACE_FLAGS =
      ordered(
          "OI", Ace.OBJECT_INHERIT_ACE,
          "CI", Ace.CONTAINER_INHERIT_ACE,
          "NP", Ace.NO_PROPAGATE_INHERIT_ACE,
          "IO", Ace.INHERIT_ONLY_ACE,
          "ID", Ace.INHERITED_ACE);

  /** An unmodifiable map keeping the order of {@code keysAndValues} (key, value, key, …). */
  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> ordered(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  private static <K, V> Map<V, K> inverse(Map<K, V> map) {
    Map<V, K> inverse = new LinkedHashMap<>();
    map.forEach((k, v) -> inverse.put(v, k));
    return Collections.unmodifiableMap(inverse);
  }

  private static final String NO_ACCESS_CONTROL = "NO_ACCESS_CONTROL";

  private Sddl() {}

  /**
   * Parses SDDL text. Models {@code ConvertStringSecurityDescriptorToSecurityDescriptor} for the
   * subset in the class comment (partial).
   *
   * @return {@code STATUS_SUCCESS} and the descriptor, or {@code STATUS_INVALID_SID}, {@code
   *     STATUS_INVALID_ACL} or {@code STATUS_INVALID_PARAMETER} and no descriptor
   */
  public static ParseResult parse(String sddl) {
    try {
      return new ParseResult(NtStatus.STATUS_SUCCESS, Optional.of(new Parser(sddl).descriptor()));
    } catch (Malformed malformed) {
      return new ParseResult(malformed.status, Optional.empty());
    }
  }

  /**
   * The SDDL text of {@code descriptor}: sections in the order {@code O}, {@code G}, {@code D},
   * SIDs by alias where one exists. Models {@code
   * ConvertSecurityDescriptorToStringSecurityDescriptor} for owner, group and DACL (partial).
   */
  public static String format(SecurityDescriptor descriptor) {
    StringBuilder text = new StringBuilder();
    descriptor.owner().ifPresent(owner -> text.append("O:").append(formatSid(owner)));
    descriptor.group().ifPresent(group -> text.append("G:").append(formatSid(group)));
    if (descriptor.isDaclPresent()) {
      text.append("D:");
      if (descriptor.isDaclProtected()) {
        text.append('P');
      }
      if (descriptor.dacl().isEmpty()) {
        text.append(NO_ACCESS_CONTROL);
      } else {
        for (Ace ace : descriptor.dacl().get().aces()) {
          text.append('(')
              .append(ace.isDeny() ? 'D' : 'A')
              .append(';')
              .append(formatAceFlags(ace.flags()))
              .append(';')
              .append(formatRights(ace.mask()))
              .append(";;;")
              .append(formatSid(ace.sid()))
              .append(')');
        }
      }
    }
    return text.toString();
  }

  /** The alias ({@code SY}) or the literal ({@code S-1-5-21-…}). */
  static String formatSid(Sid sid) {
    String alias = ALIAS_OF.get(sid);
    return alias != null ? alias : sid.toString();
  }

  /** {@code GA}, {@code GRGWGX}, {@code FA} or {@code 0x1f01bf}. */
  static String formatRights(int mask) {
    for (Map.Entry<String, Integer> composite : COMPOSITE_RIGHTS.entrySet()) {
      if (composite.getValue() == mask) {
        return composite.getKey();
      }
    }
    int coded = 0;
    StringBuilder codes = new StringBuilder();
    for (Map.Entry<String, Integer> single : SINGLE_RIGHTS.entrySet()) {
      if ((mask & single.getValue()) != 0) {
        codes.append(single.getKey());
        coded |= single.getValue();
      }
    }
    if (mask != 0 && coded == mask) {
      return codes.toString();
    }
    return "0x" + Integer.toHexString(mask);
  }

  private static String formatAceFlags(int flags) {
    StringBuilder codes = new StringBuilder();
    ACE_FLAGS.forEach(
        (code, bit) -> {
          if ((flags & bit) != 0) {
            codes.append(code);
          }
        });
    return codes.toString();
  }

  /** Carries a parse failure's status out of the recursive descent; never escapes this class. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    final transient NtStatus status;

    Malformed(NtStatus status, String why) {
      super(why, null, false, false);
      this.status = status;
    }
  }

  /** A one-shot cursor over the text. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    SecurityDescriptor descriptor() throws Malformed {
      SecurityDescriptor.Builder builder = SecurityDescriptor.builder();
      boolean sawOwner = false;
      boolean sawGroup = false;
      boolean sawDacl = false;
      while (pos < text.length()) {
        if (!isSectionStart(pos)) {
          throw invalidParameter("expected a section at offset " + pos);
        }
        char section = text.charAt(pos);
        pos += 2;
        switch (section) {
          case 'O' -> {
            if (sawOwner) {
              throw invalidParameter("second O: section");
            }
            sawOwner = true;
            builder.owner(sid(untilNextSection()));
          }
          case 'G' -> {
            if (sawGroup) {
              throw invalidParameter("second G: section");
            }
            sawGroup = true;
            builder.group(sid(untilNextSection()));
          }
          case 'D' -> {
            if (sawDacl) {
              throw invalidParameter("second D: section");
            }
            sawDacl = true;
            dacl(builder);
          }
          default -> throw invalidParameter("SACLs (S:) are not supported");
        }
      }
      return builder.build();
    }

    private boolean isSectionStart(int at) {
      return at + 1 < text.length()
          && "OGDS".indexOf(text.charAt(at)) >= 0
          && text.charAt(at + 1) == ':';
    }

    private String untilNextSection() {
      int start = pos;
      while (pos < text.length() && !isSectionStart(pos)) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private void dacl(SecurityDescriptor.Builder builder) throws Malformed {
      boolean isProtected = false;
      boolean isNull = false;
      while (pos < text.length() && text.charAt(pos) != '(' && !isSectionStart(pos)) {
        if (text.charAt(pos) == 'P' && !isProtected) {
          isProtected = true;
          pos++;
        } else if (text.startsWith(NO_ACCESS_CONTROL, pos) && !isNull) {
          isNull = true;
          pos += NO_ACCESS_CONTROL.length();
        } else {
          throw invalidParameter("unsupported DACL flag at offset " + pos);
        }
      }
      List<Ace> aces = new ArrayList<>();
      while (pos < text.length() && text.charAt(pos) == '(') {
        int close = text.indexOf(')', pos);
        if (close < 0) {
          throw invalidAcl("ACE at offset " + pos + " has no closing parenthesis");
        }
        aces.add(ace(text.substring(pos + 1, close)));
        pos = close + 1;
      }
      if (pos < text.length() && !isSectionStart(pos)) {
        throw invalidParameter("unexpected text at offset " + pos);
      }
      if (isNull && !aces.isEmpty()) {
        throw invalidAcl("ACEs after NO_ACCESS_CONTROL");
      }
      if (isNull) {
        builder.nullDacl();
      } else {
        builder.dacl(new Acl(aces));
      }
      builder.daclProtected(isProtected);
    }

    private Ace ace(String body) throws Malformed {
      String[] fields = body.split(";", -1);
      if (fields.length != 6) {
        throw invalidAcl("ACE \"" + body + "\" has " + fields.length + " fields, not 6");
      }
      int type =
          switch (fields[0]) {
            case "A" -> Ace.ACCESS_ALLOWED_ACE_TYPE;
            case "D" -> Ace.ACCESS_DENIED_ACE_TYPE;
            default -> throw invalidAcl("unsupported ACE type \"" + fields[0] + "\"");
          };
      int flags = aceFlags(fields[1]);
      int mask = rights(fields[2]);
      if (!fields[3].isEmpty() || !fields[4].isEmpty()) {
        throw invalidAcl("object ACEs are not supported");
      }
      return new Ace(type, flags, mask, sid(fields[5]));
    }

    private static int aceFlags(String codes) throws Malformed {
      if (codes.length() % 2 != 0) {
        throw invalidAcl("ACE flags \"" + codes + "\" are not two-letter codes");
      }
      int flags = 0;
      for (int i = 0; i < codes.length(); i += 2) {
        Integer bit = ACE_FLAGS.get(codes.substring(i, i + 2));
        if (bit == null || (flags & bit) != 0) {
          throw invalidAcl("bad or repeated ACE flag in \"" + codes + "\"");
        }
        flags |= bit;
      }
      return flags;
    }

    private static int rights(String field) throws Malformed {
      if (field.startsWith("0x") || field.startsWith("0X")) {
        String digits = field.substring(2);
        if (digits.isEmpty() || digits.length() > 8) {
          throw invalidAcl("bad hex rights \"" + field + "\"");
        }
        int mask = 0;
        for (int i = 0; i < digits.length(); i++) {
          int digit = Character.digit(digits.charAt(i), 16);
          if (digit < 0) {
            throw invalidAcl("bad hex rights \"" + field + "\"");
          }
          mask = (mask << 4) | digit;
        }
        return mask;
      }
      if (field.isEmpty() || field.length() % 2 != 0) {
        throw invalidAcl("rights \"" + field + "\" are neither hex nor two-letter codes");
      }
      int mask = 0;
      for (int i = 0; i < field.length(); i += 2) {
        String code = field.substring(i, i + 2);
        Integer bits = SINGLE_RIGHTS.get(code);
        if (bits == null) {
          bits = COMPOSITE_RIGHTS.get(code);
        }
        if (bits == null) {
          throw invalidAcl("unknown right \"" + code + "\"");
        }
        mask |= bits;
      }
      return mask;
    }

    private static Sid sid(String token) throws Malformed {
      Sid alias = SID_ALIASES.get(token);
      if (alias != null) {
        return alias;
      }
      return Sid.tryParse(token)
          .orElseThrow(() -> new Malformed(NtStatus.STATUS_INVALID_SID, "bad SID " + token));
    }

    private static Malformed invalidParameter(String why) {
      return new Malformed(NtStatus.STATUS_INVALID_PARAMETER, why);
    }

    private static Malformed invalidAcl(String why) {
      return new Malformed(NtStatus.STATUS_INVALID_ACL, why);
    }
  }
}
