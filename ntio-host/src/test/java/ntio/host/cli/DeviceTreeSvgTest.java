package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The device tree made a tree again from its rows, and drawn as SVG: a well-formed XML document
 * with one box per devnode, text escaped, problem devnodes marked, no two boxes overlapping.
 */
class DeviceTreeSvgTest {

  private static DevNodeInfo node(String path, String parent, int problem, List<String> children) {
    return new DevNodeInfo(path, parent, problem == 0 ? "DeviceNodeStarted" : "DeviceNodeInitialized", problem,
        problem == 0 ? "" : "CM_PROB_FAILED_ADD", problem == 0 ? NtStatus.STATUS_SUCCESS
            : NtStatus.STATUS_INSUFFICIENT_RESOURCES, false, List.of(), "Svc",
        List.of(), List.of(), List.of(new DeviceStackLayer("FDO", "\\Driver\\Svc", "Svc", "\\Device\\<Svc&0>"),
            new DeviceStackLayer("PDO", "\\Driver\\PnpManager", "", "")),
        children);
  }

  static List<DevNodeInfo> sample() {
    return List.of(
        node("HTREE\\ROOT\\0", "", 0, List.of("ROOT\\BUS\\0000", "ROOT\\BROKEN\\0000")),
        node("ROOT\\BUS\\0000", "HTREE\\ROOT\\0", 0, List.of("BUS\\KID\\1", "BUS\\KID\\2")),
        node("BUS\\KID\\1", "ROOT\\BUS\\0000", 0, List.of()),
        node("BUS\\KID\\2", "ROOT\\BUS\\0000", 0, List.of()),
        node("ROOT\\BROKEN\\0000", "HTREE\\ROOT\\0", 31, List.of()),
        node("ROOT\\ODD<&\"'>\u0001\uD800\\0000", "HTREE\\ROOT\\0", 0, List.of()));
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  /** The devnode groups of a picture, by {@code data-instance-path}. */
  static List<Element> devnodes(Document svg) {
    NodeList groups = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("class").startsWith("devnode")) {
        found.add(g);
      }
    }
    return found;
  }

  @Test
  void theTreeKeepsEachParentsOrderAndAnUnlistedChildOrAMissingParentIsNotLost() {
    List<DevNodeInfo> rows = new ArrayList<>(sample());
    rows.add(node("ORPHAN\\X\\1", "GONE\\PARENT\\0", 0, List.of()));
    DeviceTree tree = DeviceTree.of(rows);

    assertThat(tree.roots()).extracting(n -> n.info().instancePath()).containsExactly("HTREE\\ROOT\\0", "ORPHAN\\X\\1");
    assertThat(tree.preorder()).extracting(n -> n.info().instancePath() + "@" + n.depth()).containsExactly(
        "HTREE\\ROOT\\0@0", "ROOT\\BUS\\0000@1", "BUS\\KID\\1@2", "BUS\\KID\\2@2", "ROOT\\BROKEN\\0000@1",
        "ROOT\\ODD<&\"'>\u0001\uD800\\0000@1", "ORPHAN\\X\\1@0");
    assertThat(tree.find("root\\bus\\0000")).isPresent();
    assertThat(tree.matching("bus\\kid\\*")).hasSize(2);
  }

  @Test
  void aCycleOfParentsIsShownOnceNotFollowedForever() {
    DeviceTree tree = DeviceTree.of(List.of(node("A\\1", "B\\1", 0, List.of("B\\1")),
        node("B\\1", "A\\1", 0, List.of("A\\1"))));

    assertThat(tree.preorder()).hasSize(2);
  }

  @Test
  void theSvgIsValidXmlWithABoxForEveryDevnodeAndTheProblemOneMarked() throws Exception {
    DeviceTree tree = DeviceTree.of(sample());
    Document svg = parse(DeviceTreeSvg.render(tree));

    assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
    List<Element> boxes = devnodes(svg);
    assertThat(boxes).extracting(g -> g.getAttribute("data-instance-path")).containsExactlyInAnyOrder(
        "HTREE\\ROOT\\0", "ROOT\\BUS\\0000", "BUS\\KID\\1", "BUS\\KID\\2", "ROOT\\BROKEN\\0000",
        "ROOT\\ODD<&\"'>\uFFFD\uFFFD\\0000");
    assertThat(boxes).filteredOn(g -> g.getAttribute("class").contains("problem"))
        .extracting(g -> g.getAttribute("data-instance-path")).containsExactly("ROOT\\BROKEN\\0000");
    Element broken = boxes.stream().filter(g -> g.getAttribute("class").contains("problem")).findFirst().orElseThrow();
    assertThat(broken.getTextContent()).contains("CM_PROB_FAILED_ADD", "STATUS_INSUFFICIENT_RESOURCES",
        "FDO  \\Driver\\Svc  \\Device\\<Svc&0>");
    assertThat(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength())
        .as("one edge per parent-child pair").isEqualTo(5);
  }

  @Test
  void noTwoBoxesOverlapAndChildrenSitBelowTheirParent() throws Exception {
    Document svg = parse(DeviceTreeSvg.render(DeviceTree.of(sample())));
    List<double[]> rects = new ArrayList<>();
    for (Element g : devnodes(svg)) {
      Element rect = (Element) g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").item(0);
      rects.add(new double[] {Double.parseDouble(rect.getAttribute("x")), Double.parseDouble(rect.getAttribute("y")),
          Double.parseDouble(rect.getAttribute("width")), Double.parseDouble(rect.getAttribute("height"))});
    }
    for (int i = 0; i < rects.size(); i++) {
      for (int j = i + 1; j < rects.size(); j++) {
        double[] a = rects.get(i);
        double[] b = rects.get(j);
        boolean apart = a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1];
        assertThat(apart).as("boxes %d and %d overlap", i, j).isTrue();
      }
    }
    double width = Double.parseDouble(svg.getDocumentElement().getAttribute("width"));
    assertThat(rects).allSatisfy(r -> assertThat(r[0] + r[2]).isLessThanOrEqualTo(width));
  }
}
