package ntio.host.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;

/**
 * {@code ntio devcon tree --svg}: the device tree drawn as a standalone SVG picture. Each devnode is
 * a box showing its instance path, its state (and "disabled"), its problem code, name and status
 * when it has one, and its stack top to bottom (role, driver, device per layer); a devnode with a
 * problem is drawn in red with a thick border, a disabled one grey and dashed, a started one green,
 * any other amber. Edges run from each parent's bottom to its children's tops.
 *
 * <p>The layout is a simple top-down tidy tree: a subtree is as wide as the wider of its own box and
 * its children's subtrees side by side; each parent is centred over its children; every depth is
 * one row as tall as its tallest box. No two boxes overlap, and the picture's size follows from the
 * tree. Text is measured as monospace characters, which the picture asks for.
 *
 * <p>Every devnode is a {@code <g class="devnode">} carrying {@code data-instance-path}, so tools
 * (and the tests) can find them; all text is XML-escaped, and characters XML cannot hold at all
 * (control characters, lone surrogates) are drawn as U+FFFD.
 */
final class DeviceTreeSvg {

  private static final double CHAR_WIDTH = 7.3;
  private static final int FONT_SIZE = 12;
  private static final int LINE_HEIGHT = 16;
  private static final int PADDING = 8;
  private static final int MIN_BOX_WIDTH = 140;
  private static final int H_GAP = 24;
  private static final int V_GAP = 48;
  private static final int MARGIN = 20;
  private static final int TITLE_HEIGHT = 28;

  private DeviceTreeSvg() {}

  /** The box of one devnode: its lines of text and size. */
  private record Box(List<Line> lines, int width, int height) {}

  /** A line of a box; {@code kind} is its CSS class. */
  private record Line(String text, String kind) {}

  /** The picture of {@code tree}, a complete SVG document. */
  static String render(DeviceTree tree) {
    Map<DeviceTree.Node, Box> boxes = new IdentityHashMap<>();
    List<Integer> rowHeights = new ArrayList<>();
    for (DeviceTree.Node node : tree.preorder()) {
      Box box = box(node.info());
      boxes.put(node, box);
      while (rowHeights.size() <= node.depth()) {
        rowHeights.add(0);
      }
      rowHeights.set(node.depth(), Math.max(rowHeights.get(node.depth()), box.height()));
    }
    Map<DeviceTree.Node, Integer> widths = new IdentityHashMap<>();
    int total = 0;
    for (DeviceTree.Node rootNode : tree.roots()) {
      total += (total == 0 ? 0 : H_GAP) + subtreeWidth(rootNode, boxes, widths);
    }
    int[] rowTops = new int[rowHeights.size()];
    int y = MARGIN + TITLE_HEIGHT;
    for (int depth = 0; depth < rowTops.length; depth++) {
      rowTops[depth] = y;
      y += rowHeights.get(depth) + V_GAP;
    }
    int width = Math.max(total, 320) + 2 * MARGIN;
    int height = (rowTops.length == 0 ? MARGIN + TITLE_HEIGHT : y - V_GAP) + MARGIN;

    StringBuilder edges = new StringBuilder();
    StringBuilder nodes = new StringBuilder();
    double x = MARGIN;
    for (DeviceTree.Node rootNode : tree.roots()) {
      place(rootNode, x, rowTops, boxes, widths, edges, nodes);
      x += widths.get(rootNode) + H_GAP;
    }

    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
        width, height, width, height));
    svg.append("<title>ntio device tree</title>\n");
    svg.append("<style>\n"
        + "  text { font-family: monospace; font-size: " + FONT_SIZE + "px; fill: #212121; }\n"
        + "  text.path { font-weight: bold; }\n"
        + "  text.problem { fill: #b71c1c; font-weight: bold; }\n"
        + "  text.layer { fill: #37474f; }\n"
        + "  rect.started { fill: #e8f5e9; stroke: #2e7d32; stroke-width: 1.5; }\n"
        + "  rect.stopped { fill: #fff8e1; stroke: #f9a825; stroke-width: 1.5; }\n"
        + "  rect.disabled { fill: #eeeeee; stroke: #757575; stroke-width: 1.5; stroke-dasharray: 6 3; }\n"
        + "  rect.problem { fill: #ffebee; stroke: #c62828; stroke-width: 3; }\n"
        + "  path.edge { fill: none; stroke: #607d8b; stroke-width: 1.5; }\n"
        + "</style>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"path\">%s</text>%n", MARGIN,
        MARGIN + FONT_SIZE, escape("Device tree: " + tree.preorder().size() + " devnodes"
            + (problems(tree) == 0 ? "" : ", " + problems(tree) + " with a problem (red)"))));
    svg.append(edges).append(nodes).append("</svg>\n");
    return svg.toString();
  }

  private static long problems(DeviceTree tree) {
    return tree.preorder().stream().filter(node -> DevnodeLines.hasProblem(node.info())).count();
  }

  private static Box box(DevNodeInfo info) {
    List<Line> lines = new ArrayList<>();
    lines.add(new Line(info.instancePath(), "path"));
    lines.add(new Line(info.state() + (info.disabled() ? ", disabled" : ""), "state"));
    if (DevnodeLines.hasProblem(info)) {
      lines.add(new Line("problem " + info.problem() + " " + info.problemName(), "problem"));
      lines.add(new Line(info.problemStatus().toString(), "problem"));
    }
    if (info.stack().isEmpty()) {
      lines.add(new Line(info.service().isEmpty() ? "(no stack)" : "(no stack) service " + info.service(), "layer"));
    }
    for (DeviceStackLayer layer : info.stack()) {
      lines.add(new Line(DevnodeLines.layer(layer), "layer"));
    }
    int longest = lines.stream().mapToInt(line -> line.text().length()).max().orElse(0);
    int width = Math.max(MIN_BOX_WIDTH, (int) Math.ceil(longest * CHAR_WIDTH) + 2 * PADDING);
    return new Box(lines, width, lines.size() * LINE_HEIGHT + 2 * PADDING);
  }

  private static int subtreeWidth(DeviceTree.Node node, Map<DeviceTree.Node, Box> boxes,
      Map<DeviceTree.Node, Integer> widths) {
    int children = 0;
    for (DeviceTree.Node child : node.children()) {
      children += (children == 0 ? 0 : H_GAP) + subtreeWidth(child, boxes, widths);
    }
    int width = Math.max(boxes.get(node).width(), children);
    widths.put(node, width);
    return width;
  }

  /** Draws {@code node}'s subtree in the band starting at {@code left}; returns the box's centre. */
  private static double place(DeviceTree.Node node, double left, int[] rowTops, Map<DeviceTree.Node, Box> boxes,
      Map<DeviceTree.Node, Integer> widths, StringBuilder edges, StringBuilder nodes) {
    Box box = boxes.get(node);
    int width = widths.get(node);
    double centre = left + width / 2.0;
    double top = rowTops[node.depth()];
    int childrenWidth = -H_GAP;
    for (DeviceTree.Node child : node.children()) {
      childrenWidth += widths.get(child) + H_GAP;
    }
    double childLeft = left + (width - Math.max(childrenWidth, 0)) / 2.0;
    for (DeviceTree.Node child : node.children()) {
      double childCentre = place(child, childLeft, rowTops, boxes, widths, edges, nodes);
      double fromY = top + box.height();
      double toY = rowTops[child.depth()];
      double midY = (fromY + toY) / 2;
      edges.append(String.format(Locale.ROOT,
          "<path class=\"edge\" d=\"M %.1f %.1f C %.1f %.1f, %.1f %.1f, %.1f %.1f\"/>%n",
          centre, fromY, centre, midY, childCentre, midY, childCentre, toY));
      childLeft += widths.get(child) + H_GAP;
    }
    drawBox(node.info(), box, centre - box.width() / 2.0, top, nodes);
    return centre;
  }

  private static void drawBox(DevNodeInfo info, Box box, double x, double y, StringBuilder out) {
    String kind = DevnodeLines.hasProblem(info) ? "problem"
        : info.disabled() ? "disabled" : info.state().equals(DevnodeLines.STARTED) ? "started" : "stopped";
    out.append(String.format(Locale.ROOT, "<g class=\"devnode %s\" data-instance-path=\"%s\">%n", kind,
        escape(info.instancePath())));
    out.append("  <title>").append(escape(info.instancePath() + ": " + DevnodeLines.condition(info)))
        .append("</title>\n");
    out.append(String.format(Locale.ROOT,
        "  <rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\" ry=\"6\"/>%n",
        kind, x, y, box.width(), box.height()));
    double baseline = y + PADDING + FONT_SIZE;
    for (Line line : box.lines()) {
      out.append(String.format(Locale.ROOT, "  <text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>%n",
          line.kind(), x + PADDING, baseline, escape(line.text())));
      baseline += LINE_HEIGHT;
    }
    out.append("</g>\n");
  }

  /**
   * {@code text} fit for XML character data and attribute values: markup characters as entities,
   * and every character XML 1.0 cannot hold (controls but tab, newline and return; lone
   * surrogates; U+FFFE and U+FFFF) as U+FFFD.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
        continue;
      }
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800)
              || (c >= 0xE000 && c <= 0xFFFD);
          out.append(allowed ? c : '\uFFFD');
        }
      }
    }
    return out.toString();
  }
}
