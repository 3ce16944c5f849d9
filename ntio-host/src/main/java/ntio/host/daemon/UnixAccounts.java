package ntio.host.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The machine's user and group database as {@code /etc/passwd} and {@code /etc/group} hold it,
 * with {@code id} and {@code getent} as the fallback for names those files do not list (accounts
 * from a directory service). Read afresh on every question, so that a change to a group is seen by
 * the next connection.
 */
public final class UnixAccounts {

  private final Path passwd;
  private final Path group;

  /** The machine's own files. */
  public UnixAccounts() {
    this(Path.of("/etc/passwd"), Path.of("/etc/group"));
  }

  /** Other files in the same formats (tests). */
  UnixAccounts(Path passwd, Path group) {
    this.passwd = passwd;
    this.group = group;
  }

  /** The uid of a user principal's name: a number is already one. */
  OptionalInt uid(String user) {
    OptionalInt numeric = number(user);
    if (numeric.isPresent()) {
      return numeric;
    }
    for (String[] entry : entries(passwd)) {
      if (entry.length > 2 && entry[0].equals(user)) {
        return number(entry[2]);
      }
    }
    return command("id", "-u", user).map(UnixAccounts::number).orElse(OptionalInt.empty());
  }

  /** The gid of a group principal's name: a number is already one. */
  OptionalInt gid(String groupName) {
    OptionalInt numeric = number(groupName);
    if (numeric.isPresent()) {
      return numeric;
    }
    for (String[] entry : entries(group)) {
      if (entry.length > 2 && entry[0].equals(groupName)) {
        return number(entry[2]);
      }
    }
    return command("getent", "group", groupName)
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length > 2)
        .map(fields -> number(fields[2]))
        .orElse(OptionalInt.empty());
  }

  /** The login name of {@code uid}, if the passwd file has one. */
  public Optional<String> userName(int uid) {
    for (String[] entry : entries(passwd)) {
      if (entry.length > 2 && entry[2].equals(Integer.toString(uid))) {
        return Optional.of(entry[0]);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code userName} is listed as a member of group {@code gid} (supplementary membership). */
  boolean isMember(String userName, int gid) {
    for (String[] entry : entries(group)) {
      if (entry.length > 3 && entry[2].equals(Integer.toString(gid))) {
        for (String member : entry[3].split(",")) {
          if (member.trim().equals(userName)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static List<String[]> entries(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(line -> line.split(":", -1))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static OptionalInt number(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      return value >= 0 ? OptionalInt.of(value) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** The first line a command prints, if it ran and succeeded within a few seconds. */
  private static Optional<String> command(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.exitValue() == 0 && !out.isEmpty() ? Optional.of(out.lines().findFirst().orElse(""))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
