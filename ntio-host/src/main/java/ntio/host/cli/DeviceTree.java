package ntio.host.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ntio.api.DevNodeInfo;

/**
 * The rows of {@link ntio.api.NtApi#queryDeviceTree()} made a tree again, for {@code ntio devcon}:
 * each devnode under its parent, its children in the order the parent lists them. Instance paths
 * compare without regard to case, as NT's do. A row whose parent is not among the rows (the root,
 * or a tree cut short by the wire's frame limit) is a root here; a row listed twice, or a cycle a
 * broken answer could describe, is shown once.
 */
final class DeviceTree {

  /** A devnode, its depth (0 for a root) and its children. */
  record Node(DevNodeInfo info, int depth, List<Node> children) {}

  private final List<Node> roots;
  private final List<Node> preorder;

  private DeviceTree(List<Node> roots, List<Node> preorder) {
    this.roots = roots;
    this.preorder = preorder;
  }

  /** The tree the rows describe. */
  static DeviceTree of(List<DevNodeInfo> rows) {
    Map<String, DevNodeInfo> byPath = new LinkedHashMap<>();
    for (DevNodeInfo row : rows) {
      byPath.putIfAbsent(key(row.instancePath()), row);
    }
    // Children by parent: first those the parent lists, in its order, then any row naming it as
    // parent that it did not list.
    // A parent's children are kept by key in insertion order: membership is a hash lookup, so a
    // bus with thousands of children costs linear time, not quadratic.
    Map<String, Map<String, DevNodeInfo>> children = new LinkedHashMap<>();
    for (DevNodeInfo row : byPath.values()) {
      Map<String, DevNodeInfo> listed = new LinkedHashMap<>();
      for (String child : row.children()) {
        DevNodeInfo found = byPath.get(key(child));
        if (found != null) {
          listed.putIfAbsent(key(child), found);
        }
      }
      children.put(key(row.instancePath()), listed);
    }
    for (DevNodeInfo row : byPath.values()) {
      Map<String, DevNodeInfo> siblings = children.get(key(row.parentPath()));
      if (siblings != null) {
        siblings.putIfAbsent(key(row.instancePath()), row);
      }
    }
    Set<String> placed = new HashSet<>();
    List<Node> roots = new ArrayList<>();
    List<Node> preorder = new ArrayList<>();
    for (DevNodeInfo row : byPath.values()) {
      if (!byPath.containsKey(key(row.parentPath())) && placed.add(key(row.instancePath()))) {
        roots.add(build(row, 0, children, placed, preorder));
      }
    }
    // Rows left over only sit in a cycle of parents: show each under no parent rather than lose it.
    for (DevNodeInfo row : byPath.values()) {
      if (placed.add(key(row.instancePath()))) {
        roots.add(build(row, 0, children, placed, preorder));
      }
    }
    return new DeviceTree(List.copyOf(roots), List.copyOf(preorder));
  }

  private static Node build(DevNodeInfo row, int depth, Map<String, Map<String, DevNodeInfo>> children,
      Set<String> placed, List<Node> preorder) {
    List<Node> built = new ArrayList<>();
    Node node = new Node(row, depth, Collections.unmodifiableList(built));
    preorder.add(node);
    for (DevNodeInfo child : children.getOrDefault(key(row.instancePath()), Map.of()).values()) {
      if (placed.add(key(child.instancePath()))) {
        built.add(build(child, depth + 1, children, placed, preorder));
      }
    }
    return node;
  }

  /** The devnodes without a parent among the rows: the root devnode, normally alone. */
  List<Node> roots() {
    return roots;
  }

  /** Every devnode, each parent before its children, siblings in order. */
  List<Node> preorder() {
    return preorder;
  }

  /** The devnode with this instance path, compared without regard to case. */
  Optional<DevNodeInfo> find(String instancePath) {
    String wanted = key(instancePath);
    return preorder.stream().map(Node::info).filter(info -> key(info.instancePath()).equals(wanted)).findFirst();
  }

  /**
   * The devnodes a {@code devcon} argument names: its instance path without regard to case, or,
   * for an argument ending in {@code *}, every instance path starting with what precedes it.
   */
  List<DevNodeInfo> matching(String pattern) {
    String wanted = key(pattern);
    boolean prefix = wanted.endsWith("*");
    String start = prefix ? wanted.substring(0, wanted.length() - 1) : wanted;
    return preorder.stream().map(Node::info)
        .filter(info -> prefix ? key(info.instancePath()).startsWith(start) : key(info.instancePath()).equals(start))
        .toList();
  }

  private static String key(String instancePath) {
    return instancePath.toUpperCase(Locale.ROOT);
  }
}
