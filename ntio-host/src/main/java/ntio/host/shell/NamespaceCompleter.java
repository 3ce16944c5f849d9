package ntio.host.shell;

import java.util.List;
import java.util.Locale;
import ntio.api.DirectoryEntry;
import ntio.api.KernelGoneException;
import ntio.api.Listing;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.ObjectAttributes;
import org.jline.reader.Candidate;

/**
 * Completes object names by listing namespace directories, as the shell's client sees them:
 * {@code \Dev} becomes {@code \Device\}, and {@code \Device\E} offers the devices whose names start
 * with {@code E}. A directory is offered with its trailing backslash and leaves the word open, so
 * that completion can go on into it; any other object ends the word. Names match without regard to
 * case, as NT's object manager matches them.
 */
final class NamespaceCompleter {

  private static final String DIRECTORY = "Directory";

  private final NtApi nt;

  NamespaceCompleter(NtApi nt) {
    this.nt = nt;
  }

  /** Adds the objects whose names complete {@code word} (an absolute name typed so far) to {@code candidates}. */
  void complete(String word, List<Candidate> candidates) {
    if (!word.startsWith("\\")) {
      return;
    }
    int cut = word.lastIndexOf('\\');
    String directory = cut == 0 ? "\\" : word.substring(0, cut);
    String prefix = word.substring(0, cut + 1);
    String partial = word.substring(cut + 1).toLowerCase(Locale.ROOT);
    OpenResult opened;
    try {
      opened = nt.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of(directory));
    } catch (KernelGoneException e) {
      // Tab offers nothing; the next line the user runs reports the lost kernel.
      return;
    }
    if (!opened.status().isSuccess()) {
      return;
    }
    try {
      Listing listing = nt.queryDirectoryObject(opened.handle());
      if (!listing.status().isSuccess()) {
        return;
      }
      for (DirectoryEntry entry : listing.entries()) {
        if (!entry.name().toLowerCase(Locale.ROOT).startsWith(partial)) {
          continue;
        }
        boolean isDirectory = DIRECTORY.equals(entry.typeName());
        String value = prefix + entry.name() + (isDirectory ? "\\" : "");
        String description = entry.linkTarget() != null ? entry.typeName() + " -> " + entry.linkTarget() : entry.typeName();
        candidates.add(new Candidate(value, entry.name() + (isDirectory ? "\\" : ""), null, description, null, null, !isDirectory));
      }
    } finally {
      nt.close(opened.handle());
    }
  }
}
