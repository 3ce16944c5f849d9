package ntio.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntio.api.OwnerUsage;
import ntio.api.SystemResult;
import ntio.api.TagUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntio poolmon}: pool usage by tag and by owner, as poolmon shows it. */
@Command(name = "poolmon", mixinStandardHelpOptions = true,
    description = "Pool usage by tag and by owner: allocations, frees, outstanding, bytes (poolmon).")
final class PoolmonCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand
  NtioCommand root;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    try (Session session = root.session()) {
      SystemResult<TagUsage> byTag = session.nt().queryPoolTags();
      if (!byTag.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot query pool usage by tag", byTag.status());
      }
      SystemResult<OwnerUsage> byOwner = session.nt().queryPoolOwners();
      if (!byOwner.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot query pool usage by owner", byOwner.status());
      }
      List<TagUsage> tags = byTag.rows();
      List<OwnerUsage> owners = byOwner.rows();
      if (json) {
        List<Map<String, Object>> tagRows = new ArrayList<>();
        for (TagUsage t : tags) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("tag", t.tagString());
          row.put("type", t.type().toString());
          row.put("allocations", t.allocations());
          row.put("frees", t.frees());
          row.put("outstanding", t.outstanding());
          row.put("bytes", t.outstandingBytes());
          tagRows.add(row);
        }
        List<Map<String, Object>> ownerRows = new ArrayList<>();
        for (OwnerUsage o : owners) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("owner", o.owner());
          row.put("type", o.type().toString());
          row.put("allocations", o.allocations());
          row.put("frees", o.frees());
          row.put("outstanding", o.outstanding());
          row.put("bytes", o.outstandingBytes());
          ownerRows.add(row);
        }
        Printer.json(root.out(), Printer.fields("byTag", tagRows, "byOwner", ownerRows));
        return ExitCodes.SUCCESS;
      }
      List<List<String>> rows = new ArrayList<>();
      for (TagUsage t : tags) {
        rows.add(List.of(t.tagString(), t.type().toString(), Long.toString(t.allocations()),
            Long.toString(t.frees()), Long.toString(t.outstanding()), Long.toString(t.outstandingBytes())));
      }
      Printer.table(root.out(), List.of("Tag", "Type", "Allocs", "Frees", "Diff", "Bytes"), rows);
      root.out().println();
      rows = new ArrayList<>();
      for (OwnerUsage o : owners) {
        rows.add(List.of(o.owner(), o.type().toString(), Long.toString(o.allocations()),
            Long.toString(o.frees()), Long.toString(o.outstanding()), Long.toString(o.outstandingBytes())));
      }
      Printer.table(root.out(), List.of("Owner", "Type", "Allocs", "Frees", "Diff", "Bytes"), rows);
      return ExitCodes.SUCCESS;
    }
  }
}
