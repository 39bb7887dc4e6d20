package upcase.grade;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import upcase.probe.Check;
import upcase.probe.Checks;
import upcase.probe.Endpoint;
import upcase.probe.Evidence;
import upcase.probe.Level;
import upcase.probe.Outcome;
import upcase.probe.Report;
import upcase.probe.Result;
import upcase.probe.Settings;
import upcase.probe.Transport;
import upcase.support.Tool;

/**
 * Every format of one made-up graded report (no sockets), each read back by a real reader: the
 * JDK's XML parser, Jackson, Perl's TAP::Harness ({@code prove}).
 */
class FormatsTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The textbook level's 4 checks: a pass, a padded failure, a silent one, and a pass; nothing for UDP's n/a. */
    private static Graded graded(boolean allPass) {
        List<Check> checks = Checks.at(Level.TEXTBOOK);
        byte[] padded = Arrays.copyOf("HELLO WORLD".getBytes(UTF_8), 1024);
        List<Outcome> outcomes = new ArrayList<>();
        for (Check c : checks) {
            Result r = switch (c.id()) {
                case "tcp.textbook.line", "tcp.textbook.punctuation" -> Result.pass();
                case "udp.textbook.datagram" -> allPass ? Result.pass() : Result.fail(new Evidence("hello world".getBytes(UTF_8),
                        "HELLO WORLD".getBytes(UTF_8), padded), "the reply is padded <with> 1,013 NUL bytes & \"more\"");
                default -> allPass ? Result.pass() : Result.fail(new Evidence(new byte[] {'a'}, new byte[] {'A'}, null),
                        "no reply within 2s");
            };
            outcomes.add(new Outcome(c, r, Duration.ofMillis(5)));
        }
        Settings settings = Settings.of(new Endpoint("127.0.0.1", 40001), new Endpoint("127.0.0.1", 40002), Level.TEXTBOOK,
                Duration.ofSeconds(2));
        ProgramRun run = new ProgramRun("python3 '/s/alice'/server.py 40001", Map.of(Transport.TCP, 40001, Transport.UDP, 40002),
                null, "exited by itself with status 1, during the probe", true,
                List.of("Traceback (most recent call last):", "  <module> & \\x00 \"quoted\"", "ZeroDivisionError: ß"));
        return new Graded("alice", settings, new Report(outcomes), Points.parse("udp.textbook.datagram = 15", "p"), run);
    }

    private static Graded withNotApplicable() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Check c : Checks.at(Level.TEXTBOOK)) {
            Result r = c.transport() == Transport.TCP ? Result.notApplicable("not run: the command has no {tcp} port")
                    : Result.pass();
            outcomes.add(new Outcome(c, r, Duration.ofMillis(1)));
        }
        Settings settings = Settings.of(null, new Endpoint("127.0.0.1", 40002), Level.TEXTBOOK, Duration.ofSeconds(2));
        return new Graded("", settings, new Report(outcomes), Points.defaults(), null);
    }

    @Test
    void theScoreCountsPassesAndLeavesOutWhatDidNotApply() {
        assertThat(graded(false).scoreLine()).isEqualTo("score 20/45");
        assertThat(graded(true).scoreLine()).isEqualTo("score 45/45");
        assertThat(withNotApplicable().scoreLine()).isEqualTo("score 20/20");
    }

    @Test
    void junitXmlParsesAndItsCountsMatchItsTestcases() throws Exception {
        String xml = new JunitFormat().render(graded(false));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));

        Element suites = doc.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        NodeList suiteList = suites.getElementsByTagName("testsuite");
        assertThat(suiteList.getLength()).isEqualTo(1);
        Element suite = (Element) suiteList.item(0);
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(suite.getAttribute("name")).isEqualTo("alice");
        assertThat(Integer.parseInt(suite.getAttribute("tests"))).isEqualTo(cases.getLength()).isEqualTo(4);
        assertThat(Integer.parseInt(suite.getAttribute("failures")))
                .isEqualTo(suite.getElementsByTagName("failure").getLength()).isEqualTo(2);
        assertThat(Integer.parseInt(suite.getAttribute("skipped"))).isEqualTo(suite.getElementsByTagName("skipped").getLength());
        assertThat(suites.getAttribute("tests")).isEqualTo(suite.getAttribute("tests"));

        Element padded = testcase(cases, "udp.textbook.datagram");
        assertThat(padded.getAttribute("classname")).isEqualTo("upcase.probe.udp.textbook");
        Element failure = (Element) padded.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("the reply is padded <with> 1,013 NUL bytes & \"more\"");
        assertThat(failure.getTextContent())
                .contains("sent      \"hello world\"", "expected  \"HELLO WORLD\"", "got       \"HELLO WORLD\\x00",
                        "fault     the reply is padded <with>");
        assertThat(testcase(cases, "tcp.textbook.line").getElementsByTagName("failure").getLength()).isZero();
        assertThat(suite.getElementsByTagName("system-out").item(0).getTextContent())
                .contains("score 20/45", "ZeroDivisionError: ß", "<module> & \\x00");
    }

    @Test
    void junitXmlMarksChecksThatDidNotApplyAsSkipped() throws Exception {
        String xml = new JunitFormat().render(withNotApplicable());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("upcase probe");
        assertThat(suite.getAttribute("skipped")).isEqualTo("2");
        Element skipped = (Element) testcase(suite.getElementsByTagName("testcase"), "tcp.textbook.line")
                .getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("not run: the command has no {tcp} port");
    }

    private static Element testcase(NodeList cases, String name) {
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no testcase " + name);
    }

    @Test
    void gradescopeResultsHaveItsDocumentedFieldsAndAddUp() throws Exception {
        JsonNode results = JSON.readTree(new GradescopeFormat().render(graded(false)));

        assertThat(fieldNames(results)).containsExactlyInAnyOrder("score", "execution_time", "output", "stdout_visibility", "tests");
        assertThat(results.get("score").isNumber()).isTrue();
        assertThat(results.get("stdout_visibility").asText()).isIn("hidden", "after_due_date", "after_published", "visible");
        assertThat(results.get("output").asText()).contains("score 20/45", "exited by itself with status 1", "ZeroDivisionError: ß");
        JsonNode tests = results.get("tests");
        assertThat(tests.size()).isEqualTo(4);
        double sum = 0;
        double max = 0;
        for (JsonNode t : tests) {
            assertThat(fieldNames(t)).containsExactlyInAnyOrder("name", "score", "max_score", "status", "output", "visibility");
            assertThat(t.get("score").isNumber() && t.get("max_score").isNumber()).isTrue();
            assertThat(t.get("status").asText()).isIn("passed", "failed");
            assertThat(t.get("visibility").asText()).isEqualTo("visible");
            sum += t.get("score").asDouble();
            max += t.get("max_score").asDouble();
        }
        assertThat(results.get("score").asDouble()).isEqualTo(sum).isEqualTo(20);
        assertThat(max).isEqualTo(45);
        JsonNode padded = tests.get(2);
        assertThat(padded.get("name").asText()).startsWith("udp.textbook.datagram: ");
        assertThat(padded.get("max_score").asInt()).isEqualTo(15);
        assertThat(padded.get("output").asText()).contains("got       \"HELLO WORLD\\x00", "fault     the reply is padded");
    }

    @Test
    void gradescopeListsOnlyTheChecksThatApplied() throws Exception {
        JsonNode results = JSON.readTree(new GradescopeFormat().render(withNotApplicable()));
        assertThat(results.get("tests").size()).isEqualTo(2);
        assertThat(results.get("score").asInt()).isEqualTo(20);
    }

    @Test
    void theJsonReportKeepsItsFieldsAndAddsThePoints() throws Exception {
        JsonNode report = JSON.readTree(new JsonFormat().render(graded(false)));
        assertThat(report.get("submission").asText()).isEqualTo("alice");
        assertThat(report.get("score").asInt()).isEqualTo(20);
        assertThat(report.get("max_score").asInt()).isEqualTo(45);
        assertThat(report.get("failed").asInt()).isEqualTo(2);
        assertThat(report.get("program").get("stderr_tail").get(2).asText()).isEqualTo("ZeroDivisionError: ß");
        assertThat(report.get("program").get("crashed").asBoolean()).isTrue();
        JsonNode datagram = report.get("checks").get(2);
        assertThat(datagram.get("id").asText()).isEqualTo("udp.textbook.datagram");
        assertThat(datagram.get("points").asInt()).isZero();
        assertThat(datagram.get("max_points").asInt()).isEqualTo(15);
        assertThat(JSON.readTree(new JsonFormat().render(withNotApplicable())).get("submission").isNull()).isTrue();
    }

    @Test
    void tapHasItsPlanAndOneLinePerCheck() {
        String tap = new TapFormat().render(graded(false));
        List<String> lines = tap.lines().toList();
        assertThat(lines.get(0)).isEqualTo("TAP version 13");
        assertThat(lines.get(1)).isEqualTo("1..4");
        List<String> results = lines.stream().filter(l -> l.startsWith("ok ") || l.startsWith("not ok ")).toList();
        assertThat(results).hasSize(4);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).matches("(ok|not ok) " + (i + 1) + " - [a-z0-9.-]+: .*");
        }
        assertThat(results.get(2)).startsWith("not ok 3 - udp.textbook.datagram: ");
        assertThat(tap).contains("  message: \"the reply is padded <with> 1,013 NUL bytes & \\\"more\\\"\"\n")
                .contains("# score 20/45\n");
        assertThat(new TapFormat().render(withNotApplicable()))
                .contains("ok 1 - tcp.textbook.line: a short ASCII line ending in LF comes back uppercased"
                        + " (its LF optional, a close after it allowed) # SKIP not run: the command has no {tcp} port\n");
    }

    @Test
    void proveReadsTheTapReport() throws Exception {
        Path prove = Tool.require("prove", "perl");
        Path failing = dir.resolve("failing.tap");
        Files.writeString(failing, new TapFormat().render(graded(false)));
        Path passing = dir.resolve("passing.tap");
        Files.writeString(passing, new TapFormat().render(withNotApplicable()));

        Prove bad = Prove.run(prove, failing);
        assertThat(bad.output()).contains("Failed 2/4 subtests", "Tests=4").doesNotContain("Parse errors");
        assertThat(bad.exit()).isNotZero();
        Prove good = Prove.run(prove, passing);
        assertThat(good.output()).contains("All tests successful", "Tests=4");
        assertThat(good.exit()).isZero();
    }

    private record Prove(int exit, String output) {
        static Prove run(Path prove, Path tap) throws Exception {
            Process p = new ProcessBuilder(prove.toString(), "-v", "--exec", "cat", tap.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Prove(p.exitValue(), out);
        }
    }

    @Test
    void theTableEndsWithTheScoreAndTheProgramsRun() {
        String text = new TableFormat().render(graded(false));
        assertThat(text).startsWith("submission alice\nupcase probe: textbook level, tcp 127.0.0.1:40001, udp 127.0.0.1:40002")
                .endsWith("""

                        2 passed, 2 failed
                        score 20/45
                        program: python3 '/s/alice'/server.py 40001
                        ports:   tcp 40001, udp 40002
                        ended:   exited by itself with status 1, during the probe
                        its stderr, last 3 lines:
                          Traceback (most recent call last):
                            <module> & \\x00 "quoted"
                          ZeroDivisionError: ß
                        """);
    }

    @Test
    void formatsAreFoundByIdAndAnUnknownOneNamesThemAll() {
        assertThat(Formats.ALL.stream().map(ReportFormat::id)).containsExactly("table", "json", "junit", "gradescope", "tap", "html");
        assertThat(Set.copyOf(Formats.ALL.stream().map(ReportFormat::id).toList())).hasSize(Formats.ALL.size());
        assertThat(Formats.byId("junit")).isInstanceOf(JunitFormat.class);
        assertThatThrownBy(() -> Formats.byId("pdf")).hasMessage("'pdf' is not a format (table, json, junit, gradescope, tap, html)");
    }

    @Test
    void theClassSummaryAsTextAndCsv() {
        ClassSummary summary = new ClassSummary(List.of(ClassSummary.Row.of(graded(false)), ClassSummary.Row.of(graded(true)),
                new ClassSummary.Row("bob, \"the\" late", "", "", List.of(), "not graded: no such directory")));
        assertThat(summary.csv()).isEqualTo("submission,score,max_score,failed,checks_failed,note\r\n"
                + "alice,20,45,2,udp.textbook.datagram udp.textbook.punctuation,\"its program exited by itself with status 1, during the probe\"\r\n"
                + "alice,45,45,0,,\"its program exited by itself with status 1, during the probe\"\r\n"
                + "\"bob, \"\"the\"\" late\",,,0,,not graded: no such directory\r\n");
        assertThat(summary.text().lines().toList()).first().asString().startsWith("submission       score  max  failed  checks failed");
        assertThat(summary.text()).contains("alice               20   45       2  udp.textbook.datagram udp.textbook.punctuation");
        ClassSummary many = new ClassSummary(List.of(new ClassSummary.Row("carol", "0", "31",
                List.of("udp.textbook.datagram", "udp.textbook.punctuation", "udp.full.size-0", "udp.full.locale", "udp.full.crlf"), "")));
        assertThat(many.text()).contains("carol           0   31       5  udp.textbook.datagram udp.textbook.punctuation +3 more\n");
        assertThat(many.csv()).contains(",udp.textbook.datagram udp.textbook.punctuation udp.full.size-0 udp.full.locale udp.full.crlf,");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
