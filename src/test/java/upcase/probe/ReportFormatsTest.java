package upcase.probe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import upcase.support.StrictJson;

/** The table and the JSON of one made-up report: no sockets. */
class ReportFormatsTest {
    private static final Check LINE = check("tcp.textbook.line", Transport.TCP);
    private static final Check DATAGRAM = check("udp.textbook.datagram", Transport.UDP);
    private static final Check SIZE = check("udp.full.size-0", Transport.UDP);

    private static Check check(String id, Transport transport) {
        Level level = id.contains(".textbook.") ? Level.TEXTBOOK : Level.FULL;
        return new Check(id, level, transport, "what " + id + " proves", (target, timing) -> Result.pass());
    }

    private static final Settings SETTINGS = Settings.of(new Endpoint("::1", 6789), new Endpoint("localhost", 9876),
            Level.FULL, Duration.ofSeconds(2));

    private static Report report() {
        byte[] padded = Arrays.copyOf("HELLO WORLD".getBytes(UTF_8), 1024);
        return new Report(List.of(
                new Outcome(LINE, Result.pass(), Duration.ofMillis(3)),
                new Outcome(DATAGRAM, Result.fail(new Evidence("hello world".getBytes(UTF_8), "HELLO WORLD".getBytes(UTF_8),
                        padded), "the reply is padded with 1,013 NUL bytes: \"quoted\" \\ and\ta tab"), Duration.ofMillis(4)),
                new Outcome(SIZE, Result.fail(new Evidence(new byte[0], new byte[0], null), "no reply within 2s"),
                        Duration.ofMillis(2000))));
    }

    private static String table(boolean colour, Report report, Settings settings) {
        StringWriter text = new StringWriter();
        Table table = new Table(new PrintWriter(text), colour, List.of(LINE, DATAGRAM, SIZE));
        table.header(settings);
        report.outcomes().forEach(table::row);
        table.summary(report);
        return text.toString();
    }

    @Test
    void thePlainTableShowsEachCheckTheEvidenceOfFailuresAndTheCounts() {
        String text = table(false, report(), SETTINGS);

        assertThat(text).doesNotContain("\u001B").isEqualTo("""
                upcase probe: full level, tcp [::1]:6789, udp localhost:9876, 2s per reply

                  pass  tcp.textbook.line      what tcp.textbook.line proves
                  FAIL  udp.textbook.datagram  what udp.textbook.datagram proves
                        sent      "hello world"
                        expected  "HELLO WORLD"
                        got       "HELLO WORLD\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\
                \\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"...(1024 bytes)
                        fault     the reply is padded with 1,013 NUL bytes: "quoted" \\ and\ta tab
                  FAIL  udp.full.size-0        what udp.full.size-0 proves
                        sent      ""
                        expected  ""
                        got       (nothing)
                        fault     no reply within 2s

                1 passed, 2 failed
                """.replace("\\\n", ""));
    }

    @Test
    void colourOnlyOnTheVerdicts() {
        String text = table(true, report(), SETTINGS);

        assertThat(text).contains("  \u001B[32mpass\u001B[0m  tcp.textbook.line", "  \u001B[1;31mFAIL\u001B[0m  udp.textbook.datagram");
        assertThat(text.lines().toList().getLast()).isEqualTo("1 passed, 2 failed");
    }

    @Test
    void checksOfATransportNotGivenShareOneRow() {
        Result none = Result.notApplicable("not run: no --udp HOST:PORT given");
        Report report = new Report(List.of(new Outcome(LINE, Result.pass(), Duration.ZERO),
                new Outcome(DATAGRAM, none, Duration.ZERO), new Outcome(SIZE, none, Duration.ZERO)));

        String text = table(false, report, Settings.of(new Endpoint("localhost", 6789), null, Level.FULL, Duration.ofSeconds(2)));

        assertThat(text).contains("upcase probe: full level, tcp localhost:6789, 2s per reply");
        assertThat(text).containsOnlyOnce("n/a").contains("  n/a   udp.*                  not run: no --udp HOST:PORT given\n");
        assertThat(text).endsWith("\n1 passed, 0 failed\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonParsesAndCarriesEveryField() {
        Map<String, Object> json = (Map<String, Object>) StrictJson.parse(JsonReport.of(SETTINGS, report()));

        assertThat(json).containsEntry("level", "full").containsEntry("timeout_ms", 2000L)
                .containsEntry("servers", Map.of("tcp", "[::1]:6789", "udp", "localhost:9876"))
                .containsEntry("passed", 1L).containsEntry("failed", 2L).containsEntry("not_applicable", 0L);
        List<Map<String, Object>> checks = (List<Map<String, Object>>) json.get("checks");
        assertThat(checks).extracting(c -> c.get("id")).containsExactly("tcp.textbook.line", "udp.textbook.datagram", "udp.full.size-0");
        assertThat(checks.get(0)).containsEntry("verdict", "pass").containsEntry("level", "textbook")
                .containsEntry("transport", "tcp").containsEntry("millis", 3L).containsEntry("got", null)
                .containsEntry("diagnosis", null);
        Map<String, Object> failed = checks.get(1);
        assertThat(failed).containsEntry("verdict", "fail")
                .containsEntry("diagnosis", "the reply is padded with 1,013 NUL bytes: \"quoted\" \\ and\ta tab")
                .containsEntry("sent", Map.of("length", 11L, "shown", "\"hello world\""));
        assertThat((Map<String, Object>) failed.get("got")).containsEntry("length", 1024L);
        assertThat(checks.get(2)).containsEntry("got", null).containsEntry("diagnosis", "no reply within 2s");
    }
}
