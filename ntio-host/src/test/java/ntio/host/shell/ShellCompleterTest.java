package ntio.host.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tab completion, called as JLine's reader calls it, on a line parsed by the shell's parser. */
class ShellCompleterTest {

  @TempDir
  Path state;

  private ShellFixture fixture;

  @BeforeEach
  void bootWithEcho() {
    fixture = new ShellFixture(state).withSampleDriver("Echo");
  }

  @AfterEach
  void shutDown() {
    fixture.close();
  }

  @Test
  void aNamespaceDirectoryCompletesWithItsTrailingBackslashAndLeavesTheWordOpen() {
    List<Candidate> candidates = complete(fixture.shell(), "open \\Dev");

    assertThat(candidates).extracting(Candidate::value).containsExactly("\\Device\\");
    assertThat(candidates.get(0).complete()).isFalse();
  }

  @Test
  void aDeviceInsideADirectoryCompletesAndEndsTheWord() {
    List<Candidate> candidates = complete(fixture.shell(), "open \\Device\\E");

    assertThat(candidates).extracting(Candidate::value).containsExactly("\\Device\\Echo");
    assertThat(candidates.get(0).complete()).isTrue();
    assertThat(candidates.get(0).descr()).isEqualTo("Device");
  }

  @Test
  void namespaceNamesMatchWithoutRegardToCaseAndKeepThePrefixAsTyped() {
    assertThat(complete(fixture.shell(), "open \\device\\e")).extracting(Candidate::value)
        .containsExactly("\\device\\Echo");
  }

  @Test
  void theRootOffersEveryTopLevelObject() {
    assertThat(complete(fixture.shell(), "obj ls \\")).extracting(Candidate::value)
        .contains("\\Device\\", "\\Driver\\", "\\GLOBAL??\\");
  }

  @Test
  void aDirectoryThatDoesNotExistOffersNothing() {
    assertThat(complete(fixture.shell(), "open \\Nowhere\\E")).isEmpty();
  }

  @Test
  void theFirstWordCompletesToTheShellsCommandsAndTheNtioCommands() {
    ShellFixture.Shell shell = fixture.shell(new NtioCommands() {
      @Override
      public Set<String> names() {
        return Set.of("obj", "reg");
      }

      @Override
      public List<String> subcommands(String command) {
        return command.equals("obj") ? List.of("info", "ls") : List.of();
      }

      @Override
      public int run(List<String> words, PrintWriter out, PrintWriter err) {
        return 0;
      }
    });

    assertThat(complete(shell, "o")).extracting(Candidate::value)
        .contains("open", "read", "handles", "exit", "obj", "reg");
    assertThat(complete(shell, "obj l")).extracting(Candidate::value).containsExactly("info", "ls");
  }

  @Test
  void theHandleArgumentCompletesToHandleNamesAndValues() {
    ShellFixture.Shell shell = fixture.shell();
    shell.script("open \\Device\\Echo --as echo");
    String value = shell.outLines().get(0).split(" ")[0];

    assertThat(complete(shell, "read e")).extracting(Candidate::value).containsExactly("echo", value);
  }

  @Test
  void accessAndShareOptionsCompleteToTheirWords() {
    assertThat(complete(fixture.shell(), "open \\Device\\Echo --share ")).extracting(Candidate::value)
        .contains("read", "write", "delete", "none");
  }

  /** What Tab offers with the cursor at the end of {@code line}. */
  private static List<Candidate> complete(ShellFixture.Shell shell, String line) {
    ParsedLine parsed = InteractiveShell.parser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
    List<Candidate> candidates = new ArrayList<>();
    shell.session().completer().complete(null, parsed, candidates);
    return candidates;
  }
}
