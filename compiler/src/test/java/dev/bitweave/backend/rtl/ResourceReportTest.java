package dev.bitweave.backend.rtl;

import dev.bitweave.board.BoardCatalog;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceReportTest {

    private static final FitCheck OVER = FitCheck.of(FitCheckTest.usage(140_213, 23_424, 624, 5_308_416, 0, 0),
            BoardCatalog.byName("kria-kv260"));

    @Test
    void markdownTable() {
        assertEquals("""
                | resource | used | available | % |
                |---|---:|---:|---:|
                | LUTs | 140,213 | 117,120 | 119.7% (over) |
                | FFs | 23,424 | 234,240 | 10.0% |
                | DSPs | 624 | 1,248 | 50.0% |
                | BRAM bits | 5,308,416 | 5,308,416 | 100.0% |
                | URAM bits | 0 | 18,874,368 | 0.0% |
                """, ResourceReport.markdown(OVER));
    }

    @Test
    void svgIsWellFormedWithOneBarPerResourceAndAHundredPercentLine() throws Exception {
        Document doc = parse(ResourceReport.svg(OVER));
        Element svg = doc.getDocumentElement();
        assertEquals("svg", svg.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", svg.getNamespaceURI());
        // background + (track + bar) per resource
        NodeList rects = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        assertEquals(1 + 2 * 5, rects.getLength());
        // Scale is 150% (highest bar 119.7%, rounded up to 50%): the 100% line sits at 2/3 of the 400 px track.
        Element line = (Element) svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line").item(0);
        assertEquals("386.7", line.getAttribute("x1"));
        Element lutBar = (Element) rects.item(2);
        assertEquals(400 * 119.7165 / 150, Double.parseDouble(lutBar.getAttribute("width")), 0.1);
        assertEquals("#d04040", lutBar.getAttribute("fill"), "over budget is red");
        assertEquals("#e0a030", ((Element) rects.item(8)).getAttribute("fill"), "100% BRAM is amber");
        assertEquals("#4c9f70", ((Element) rects.item(4)).getAttribute("fill"), "10% FFs is green");
        assertTrue(svg.getTextContent().contains("119.7% (140,213 / 117,120)"), svg.getTextContent());
        assertTrue(svg.getTextContent().contains("Resource utilization on kria-kv260 (xcup)"));
    }

    @Test
    void svgIsDeterministicAndLocaleIndependent() throws Exception {
        String first = ResourceReport.svg(OVER);
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals(first, ResourceReport.svg(OVER));
            assertEquals(ResourceReport.markdown(OVER), ResourceReport.markdown(OVER));
        } finally {
            Locale.setDefault(saved);
        }
        // A board with nothing used and no budget row still draws and parses.
        FitCheck empty = FitCheck.of(FitCheckTest.usage(0, 0, 0, 0, 0, 262_144), BoardCatalog.byName("ice40-up5k"));
        Document doc = parse(ResourceReport.svg(empty));
        assertEquals(1 + 2 * 5, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength());
        assertTrue(ResourceReport.markdown(empty).contains("| SPRAM bits | 262,144 | 0 | n/a (over) |"));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
