package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashReportWriterTest {

  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");

  @TempDir Path stateDir;

  private final AtomicInteger stops = new AtomicInteger();

  private BugChecks kernel(Path state) {
    return new BugChecks(
        new CrashReportWriter(state, stops::incrementAndGet), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAReadableReportAndItsJsonTwinThenStopsTheKernel() throws IOException {
    String message = "leaked \"pool\"\tat C:\\drivers\nsecond line \u0001 é";

    BugCheckException thrown =
        Raised.by(
            () ->
                kernel(stateDir)
                    .raise(0xC4, 0x62, 0xFFFFA00000000010L, 3, 0, "Leaky.jar", message));

    assertThat(thrown.getSuppressed()).isEmpty();
    assertThat(stops).hasValue(1);
    Path crash = stateDir.resolve("crash");
    assertThat(filesIn(crash))
        .containsExactly("20250102-030405-678-000001.json", "20250102-030405-678-000001.txt");

    String text = Files.readString(crash.resolve("20250102-030405-678-000001.txt"));
    assertThat(text)
        .startsWith(
            "*** STOP: 0x000000C4 (0x0000000000000062, 0xFFFFA00000000010, 0x0000000000000003,"
                + " 0x0000000000000000)\nDRIVER_VERIFIER_DETECTED_VIOLATION\n")
        .contains("Bug check:   " + thrown.bugCheck().describe())
        .contains("Parameter 1: 0x0000000000000062")
        .contains("Driver:      Leaky.jar")
        .contains("Message:     " + message)
        .contains("Time:        2025-01-02T03:04:05.678Z")
        .contains("writesAReadableReportAndItsJsonTwinThenStopsTheKernel");

    String json =
        Files.readString(crash.resolve("20250102-030405-678-000001.json"), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("\u0001").contains("\\u0001").contains("\\\"pool\\\"");
    Map<?, ?> fields = (Map<?, ?>) Json.parse(json);
    assertThat(fields.get("id")).isEqualTo("20250102-030405-678-000001");
    assertThat(fields.get("code")).isEqualTo("0x000000C4");
    assertThat(fields.get("name")).isEqualTo("DRIVER_VERIFIER_DETECTED_VIOLATION");
    assertThat(fields.get("parameters"))
        .isEqualTo(List.of("0x62", "0xFFFFA00000000010", "0x3", "0x0"));
    assertThat(fields.get("driver")).isEqualTo("Leaky.jar");
    assertThat(fields.get("message")).isEqualTo(message);
    assertThat(fields.get("sequence")).isEqualTo(1L);
    assertThat(fields.get("time")).isEqualTo("2025-01-02T03:04:05.678Z");
    assertThat(fields.get("stack")).isEqualTo(thrown.bugCheck().stack());
  }

  @Test
  void aReportWithoutDriverSaysNoneAndWritesJsonNull() throws IOException {
    Raised.by(() -> kernel(stateDir).raise(0xE2, 0, 0, 0, 0, null, "manual"));

    Path crash = stateDir.resolve("crash");
    assertThat(Files.readString(crash.resolve("20250102-030405-678-000001.txt")))
        .contains("Driver:      (none)");
    Map<?, ?> fields =
        (Map<?, ?>) Json.parse(Files.readString(crash.resolve("20250102-030405-678-000001.json")));
    assertThat(fields.containsKey("driver")).isTrue();
    assertThat(fields.get("driver")).isNull();
  }

  @Test
  void aSecondBugCheckWritesNoSecondReportAndDoesNotStopAgain() throws IOException {
    BugChecks bugChecks = kernel(stateDir);
    Raised.by(() -> bugChecks.raise(0xE2, 0, 0, 0, 0, null, "one"));
    Raised.by(() -> bugChecks.raise(0xE2, 0, 0, 0, 0, null, "two"));

    assertThat(filesIn(stateDir.resolve("crash"))).hasSize(2);
    assertThat(stops).hasValue(1);
  }

  @Test
  void aReportWhoseNameIsTakenGetsASuffixInsteadOfReplacingIt() throws IOException {
    Raised.by(() -> kernel(stateDir).raise(0xE2, 0, 0, 0, 0, null, "one"));
    Raised.by(() -> kernel(stateDir).raise(0xE2, 0, 0, 0, 0, null, "two"));

    assertThat(filesIn(stateDir.resolve("crash")))
        .containsExactly(
            "20250102-030405-678-000001-2.json",
            "20250102-030405-678-000001-2.txt",
            "20250102-030405-678-000001.json",
            "20250102-030405-678-000001.txt");
    assertThat(stops).hasValue(2);
  }

  @Test
  void theKernelIsStoppedEvenWhenTheReportCannotBeWritten() throws IOException {
    Path notADirectory = Files.writeString(stateDir.resolve("state"), "a file, not a directory");

    BugCheckException thrown =
        Raised.by(() -> kernel(notADirectory).raise(0xE2, 0, 0, 0, 0, null, "crash"));

    assertThat(stops).hasValue(1);
    assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(UncheckedIOException.class);
    assertThat(thrown.getSuppressed()[0]).hasMessageContaining("0x000000E2");
  }

  @Test
  void theCrashDirectoryIsMade0700AndEachReport0600WhateverTheUmask() throws IOException {
    Path state = stateDir.resolve("fresh");

    Raised.by(() -> kernel(state).raise(0xC4, 0x62, 0, 0, 0, "Leaky.jar", "leak"));

    Path crash = state.resolve("crash");
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(crash)).isEqualTo("rwx------");
    assertThat(filesIn(crash)).hasSize(2);
    try (Stream<Path> reports = Files.list(crash)) {
      for (Path report : reports.toList()) {
        assertThat(mode(report)).as("%s", report).isEqualTo("rw-------");
      }
    }
  }

  private static String mode(Path path) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }
}
