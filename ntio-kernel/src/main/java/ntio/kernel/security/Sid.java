package ntio.kernel.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A security identifier. Models {@code SID} (revision 1), {@code RtlEqualSid},
 * {@code RtlConvertSidToUnicodeString} and {@code RtlConvertStringSidToSid} /
 * {@code ConvertStringSidToSid} (full for the {@code S-R-I-S…} form).
 *
 * <p>A SID is an immutable value: a 48-bit identifier authority and up to
 * {@value #MAX_SUB_AUTHORITIES} 32-bit unsigned sub-authorities (held in Java {@code int}s and
 * printed unsigned). Two SIDs are equal when authority and every sub-authority are equal.
 *
 * @implNote The string parser accepts what {@code ConvertStringSidToSid} accepts for literal SIDs:
 *     {@code S-1-} (the {@code S} in either case), the authority in decimal (up to {@code
 *     2^32 - 1}) or as {@code 0x} followed by up to twelve hex digits, then zero to fifteen
 *     decimal sub-authorities. SDDL aliases such as {@code SY} are not SIDs; {@link Sddl} handles
 *     them. The formatter prints the authority in decimal below {@code 2^32} and as twelve hex
 *     digits above, as {@code RtlConvertSidToUnicodeString} does.
 */
public final class Sid {

  /** {@code SID_REVISION}: the only revision NT defines. */
  public static final int REVISION = 1;

  /** {@code SID_MAX_SUB_AUTHORITIES}. */
  public static final int MAX_SUB_AUTHORITIES = 15;

  /** The largest 48-bit identifier authority. */
  public static final long MAX_IDENTIFIER_AUTHORITY = 0xFFFF_FFFF_FFFFL;

  /** {@code SECURITY_NULL_SID_AUTHORITY}, {@code SECURITY_WORLD_SID_AUTHORITY} and friends. */
  public static final long NULL_AUTHORITY = 0;

  public static final long WORLD_AUTHORITY = 1;
  public static final long CREATOR_AUTHORITY = 3;
  public static final long NT_AUTHORITY = 5;

  /** Samba's authority for Unix identities ({@code S-1-22-1-uid}, {@code S-1-22-2-gid}). */
  public static final long UNIX_AUTHORITY = 22;

  /** {@code S-1-0-0}: the SID that matches nobody. */
  public static final Sid NULL_SID = of(NULL_AUTHORITY, 0);

  /** {@code S-1-1-0}: Everyone ({@code SeWorldSid}). */
  public static final Sid EVERYONE = of(WORLD_AUTHORITY, 0);

  /** {@code S-1-3-0}: CREATOR OWNER, a placeholder replaced when an ACE is inherited. */
  public static final Sid CREATOR_OWNER = of(CREATOR_AUTHORITY, 0);

  /** {@code S-1-5-4}: NT AUTHORITY\INTERACTIVE. */
  public static final Sid INTERACTIVE = of(NT_AUTHORITY, 4);

  /** {@code S-1-5-11}: NT AUTHORITY\Authenticated Users. */
  public static final Sid AUTHENTICATED_USERS = of(NT_AUTHORITY, 11);

  /** {@code S-1-5-18}: NT AUTHORITY\SYSTEM ({@code SeLocalSystemSid}). */
  public static final Sid LOCAL_SYSTEM = of(NT_AUTHORITY, 18);

  /** {@code S-1-5-19}: NT AUTHORITY\LOCAL SERVICE. */
  public static final Sid LOCAL_SERVICE = of(NT_AUTHORITY, 19);

  /** {@code S-1-5-20}: NT AUTHORITY\NETWORK SERVICE. */
  public static final Sid NETWORK_SERVICE = of(NT_AUTHORITY, 20);

  /** {@code S-1-5-32-544}: BUILTIN\Administrators ({@code SeAliasAdminsSid}). */
  public static final Sid BUILTIN_ADMINISTRATORS = of(NT_AUTHORITY, 32, 544);

  /** {@code S-1-5-32-545}: BUILTIN\Users ({@code SeAliasUsersSid}). */
  public static final Sid BUILTIN_USERS = of(NT_AUTHORITY, 32, 545);

  private static final Map<Sid, String> WELL_KNOWN_NAMES =
      Map.of(
          NULL_SID, "NULL SID",
          EVERYONE, "Everyone",
          CREATOR_OWNER, "CREATOR OWNER",
          INTERACTIVE, "NT AUTHORITY\\INTERACTIVE",
          AUTHENTICATED_USERS, "NT AUTHORITY\\Authenticated Users",
          LOCAL_SYSTEM, "NT AUTHORITY\\SYSTEM",
          LOCAL_SERVICE, "NT AUTHORITY\\LOCAL SERVICE",
          NETWORK_SERVICE, "NT AUTHORITY\\NETWORK SERVICE",
          BUILTIN_ADMINISTRATORS, "BUILTIN\\Administrators",
          BUILTIN_USERS, "BUILTIN\\Users");

  private static final int UNIX_USERS = 1;
  private static final int UNIX_GROUPS = 2;

  private final long identifierAuthority;
  private final int[] subAuthorities;

  private Sid(long identifierAuthority, int[] subAuthorities) {
    this.identifierAuthority = identifierAuthority;
    this.subAuthorities = subAuthorities;
  }

  /**
   * The SID with this authority and these sub-authorities (each read as unsigned). Models {@code
   * RtlInitializeSid} plus {@code RtlSubAuthoritySid} stores (full).
   *
   * @throws IllegalArgumentException if the authority is outside 48 bits or there are more than
   *     fifteen sub-authorities
   */
  public static Sid of(long identifierAuthority, int... subAuthorities) {
    if (identifierAuthority < 0 || identifierAuthority > MAX_IDENTIFIER_AUTHORITY) {
      throw new IllegalArgumentException(
          "identifier authority " + identifierAuthority + " is not a 48-bit value");
    }
    if (subAuthorities.length > MAX_SUB_AUTHORITIES) {
      throw new IllegalArgumentException(
          subAuthorities.length + " sub-authorities; a SID holds at most " + MAX_SUB_AUTHORITIES);
    }
    return new Sid(identifierAuthority, subAuthorities.clone());
  }

  /**
   * {@code S-1-22-1-<uid>}: a Unix user as Samba maps it, the uid read as unsigned. The host
   * gives a socket client this user SID. Models no NT routine (Samba's {@code uid_to_sid}, full).
   */
  public static Sid unixUser(int uid) {
    return of(UNIX_AUTHORITY, UNIX_USERS, uid);
  }

  /**
   * {@code S-1-22-2-<gid>}: a Unix group as Samba maps it, the gid read as unsigned. Models no NT
   * routine (Samba's {@code gid_to_sid}, full).
   */
  public static Sid unixGroup(int gid) {
    return of(UNIX_AUTHORITY, UNIX_GROUPS, gid);
  }

  /**
   * Parses {@code S-1-5-32-544}. Models {@code RtlConvertStringSidToSid} (full for literal SIDs).
   *
   * @throws IllegalArgumentException naming the text when it is not a revision-1 SID string
   */
  public static Sid parse(String text) {
    return tryParse(text)
        .orElseThrow(() -> new IllegalArgumentException("not a SID string: \"" + text + "\""));
  }

  /**
   * Parses {@code S-1-5-32-544}, or empty when the text is not a revision-1 SID string. Models
   * {@code RtlConvertStringSidToSid} (full for literal SIDs).
   */
  public static Optional<Sid> tryParse(String text) {
    String[] parts = text.split("-", -1);
    if (parts.length < 3 || parts.length > 3 + MAX_SUB_AUTHORITIES) {
      return Optional.empty();
    }
    if (!parts[0].equalsIgnoreCase("S") || !parts[1].equals("1")) {
      return Optional.empty();
    }
    ParsedNumber authority = parseAuthority(parts[2]);
    if (authority.isEmpty()) {
      return Optional.empty();
    }
    int[] subs = new int[parts.length - 3];
    for (int i = 0; i < subs.length; i++) {
      ParsedNumber sub = parseDecimal(parts[i + 3], 0xFFFF_FFFFL);
      if (sub.isEmpty()) {
        return Optional.empty();
      }
      subs[i] = (int) sub.value();
    }
    return Optional.of(new Sid(authority.value(), subs));
  }

  private static ParsedNumber parseAuthority(String text) {
    if (text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X"))) {
      String digits = text.substring(2);
      if (digits.length() > 12) {
        return ParsedNumber.EMPTY;
      }
      long value = 0;
      for (int i = 0; i < digits.length(); i++) {
        int digit = Character.digit(digits.charAt(i), 16);
        if (digit < 0) {
          return ParsedNumber.EMPTY;
        }
        value = value * 16 + digit;
      }
      return new ParsedNumber(true, value);
    }
    return parseDecimal(text, 0xFFFF_FFFFL);
  }

  /** Plain ASCII decimal digits, no sign, no more than {@code max}. */
  private static ParsedNumber parseDecimal(String text, long max) {
    if (text.isEmpty() || text.length() > 10) {
      return ParsedNumber.EMPTY;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return ParsedNumber.EMPTY;
      }
      value = value * 10 + (c - '0');
    }
    return value > max ? ParsedNumber.EMPTY : new ParsedNumber(true, value);
  }

  /** A parsed unsigned number, or absent; keeps the digit loops free of exceptions. */
  private record ParsedNumber(boolean isPresent, long value) {
    static final ParsedNumber EMPTY = new ParsedNumber(false, 0);

    boolean isEmpty() {
      return !isPresent;
    }
  }

  /** Always {@value #REVISION}. Models {@code SID.Revision} (full). */
  public int revision() {
    return REVISION;
  }

  /**
   * The 48-bit identifier authority as a number. Models {@code RtlIdentifierAuthoritySid}
   * (full).
   */
  public long identifierAuthority() {
    return identifierAuthority;
  }

  /** Models {@code RtlSubAuthorityCountSid} (full). */
  public int subAuthorityCount() {
    return subAuthorities.length;
  }

  /**
   * Sub-authority {@code index} as stored (read it with {@link Integer#toUnsignedLong}). Models
   * {@code RtlSubAuthoritySid} (full).
   *
   * @throws IndexOutOfBoundsException if there is no such sub-authority
   */
  public int subAuthority(int index) {
    return subAuthorities[index];
  }

  /** A copy of the sub-authorities. */
  public int[] subAuthorities() {
    return subAuthorities.clone();
  }

  /**
   * The account name {@code LookupAccountSid} would print for a well-known SID ({@code
   * NT AUTHORITY\SYSTEM}, {@code BUILTIN\Administrators}, {@code Everyone}, {@code Unix User\1000},
   * {@code Unix Group\100}), or the {@code S-1-…} string for any other SID. Models {@code
   * LookupAccountSid} for well-known SIDs (partial: no domain or local accounts).
   */
  public String displayName() {
    String known = WELL_KNOWN_NAMES.get(this);
    if (known != null) {
      return known;
    }
    if (identifierAuthority == UNIX_AUTHORITY && subAuthorities.length == 2) {
      String id = Integer.toUnsignedString(subAuthorities[1]);
      if (subAuthorities[0] == UNIX_USERS) {
        return "Unix User\\" + id;
      }
      if (subAuthorities[0] == UNIX_GROUPS) {
        return "Unix Group\\" + id;
      }
    }
    return toString();
  }

  /** Models {@code RtlEqualSid} (full). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Sid that
        && that.identifierAuthority == identifierAuthority
        && Arrays.equals(that.subAuthorities, subAuthorities);
  }

  /** Consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return Long.hashCode(identifierAuthority) * 31 + Arrays.hashCode(subAuthorities);
  }

  /** {@code S-1-5-32-544}. Models {@code RtlConvertSidToUnicodeString} (full). */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("S-1-");
    if (identifierAuthority > 0xFFFF_FFFFL) {
      text.append(String.format(Locale.ROOT, "0x%012X", identifierAuthority));
    } else {
      text.append(identifierAuthority);
    }
    for (int sub : subAuthorities) {
      text.append('-').append(Integer.toUnsignedString(sub));
    }
    return text.toString();
  }
}
