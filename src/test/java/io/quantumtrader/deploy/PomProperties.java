package io.quantumtrader.deploy;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;

/** Reads a {@code <properties>} entry of the project's pom.xml (the image name and tag live there). */
final class PomProperties {

    private PomProperties() {
    }

    /** @return the value of {@code /project/properties/<name>} in pom.xml */
    static String get(String name) {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
            Node properties = pom.getDocumentElement().getElementsByTagName("properties").item(0);
            for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (name.equals(n.getNodeName())) {
                    return n.getTextContent().trim();
                }
            }
            throw new IllegalArgumentException("pom.xml has no property " + name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read pom.xml: " + e.getMessage(), e);
        }
    }
}
