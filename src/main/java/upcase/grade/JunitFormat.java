package upcase.grade;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import upcase.probe.Outcome;
import upcase.probe.Table;
import upcase.probe.Verdict;

/**
 * JUnit XML, the de-facto schema that GitHub Actions' test reporters, GitLab
 * ({@code artifacts:reports:junit}) and Jenkins read: one {@code <testsuite>} per submission,
 * one {@code <testcase>} per check. A failure carries the diagnosis as its message and the
 * evidence (sent, expected, got, fault) as its text; a check that did not apply is
 * {@code <skipped>}. The score and the program's run are properties and {@code <system-out>}.
 * Written with the JDK's StAX writer, which escapes markup.
 */
public final class JunitFormat implements ReportFormat {
    @Override
    public String id() {
        return "junit";
    }

    @Override
    public String extension() {
        return "xml";
    }

    @Override
    public String render(Graded graded) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            write(graded, xml);
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return text.toString();
    }

    private static void write(Graded graded, XMLStreamWriter xml) throws XMLStreamException {
        List<Outcome> outcomes = graded.report().outcomes();
        String tests = String.valueOf(outcomes.size());
        String failures = String.valueOf(graded.report().count(Verdict.FAIL));
        String skipped = String.valueOf(graded.report().count(Verdict.NOT_APPLICABLE));
        String time = seconds(outcomes.stream().map(Outcome::elapsed).reduce(Duration.ZERO, Duration::plus));
        String name = graded.submission().isEmpty() ? "upcase probe" : graded.submission();

        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuites");
        attributes(xml, "name", "upcase probe", "tests", tests, "failures", failures, "errors", "0",
                "skipped", skipped, "time", time);
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        attributes(xml, "name", name, "tests", tests, "failures", failures, "errors", "0", "skipped", skipped,
                "time", time);
        xml.writeCharacters("\n    ");
        xml.writeStartElement("properties");
        property(xml, "level", graded.settings().level().id());
        property(xml, "score", Points.show(graded.score()));
        property(xml, "max_score", Points.show(graded.maxScore()));
        xml.writeCharacters("\n    ");
        xml.writeEndElement();
        for (Outcome o : outcomes) {
            testcase(graded, o, xml);
        }
        xml.writeCharacters("\n    ");
        xml.writeStartElement("system-out");
        xml.writeCharacters(Xml.text(String.join("\n", graded.notes())));
        xml.writeEndElement();
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
    }

    private static void testcase(Graded graded, Outcome o, XMLStreamWriter xml) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        // CI reporters group test cases by class name: the transport and level.
        attributes(xml, "classname", "upcase.probe." + o.check().transport().id() + "." + o.check().level().id(),
                "name", o.check().id(), "time", seconds(o.elapsed()));
        switch (o.result().verdict()) {
            case PASS -> {}
            case FAIL -> {
                xml.writeCharacters("\n      ");
                xml.writeStartElement("failure");
                attributes(xml, "message", Xml.text(o.result().diagnosis()), "type",
                        "lost " + Points.show(graded.max(o)) + " points");
                xml.writeCharacters(Xml.text(o.check().description() + "\n" + String.join("\n", Table.details(o.result()))));
                xml.writeEndElement();
                xml.writeCharacters("\n    ");
            }
            case NOT_APPLICABLE -> {
                xml.writeStartElement("skipped");
                attributes(xml, "message", Xml.text(o.result().diagnosis()));
                xml.writeEndElement();
            }
        }
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeCharacters("\n      ");
        xml.writeEmptyElement("property");
        attributes(xml, "name", name, "value", value);
    }

    private static void attributes(XMLStreamWriter xml, String... pairs) throws XMLStreamException {
        for (int i = 0; i < pairs.length; i += 2) {
            xml.writeAttribute(pairs[i], pairs[i + 1]);
        }
    }

    /** {@code 0.004}: seconds, as JUnit XML writes times. */
    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    /** Text XML 1.0 may hold: no control characters but tab, LF and CR, no U+FFFE or U+FFFF. */
    static final class Xml {
        private Xml() {}

        static String text(String s) {
            StringBuilder out = new StringBuilder(s.length());
            s.codePoints().forEach(c -> {
                boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800)
                        || (c >= 0xE000 && c < 0xFFFE) || c >= 0x10000;
                out.appendCodePoint(allowed ? c : 0xFFFD);
            });
            return out.toString();
        }
    }
}
