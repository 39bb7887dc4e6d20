package upcase.grade;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.bench.report.ShownPage;
import upcase.cli.Main;
import upcase.support.Chromium;
import upcase.support.Python;
import upcase.support.Tool;

/**
 * {@code upcase probe --format html}: real probes of faulty servers on loopback, their pages
 * opened by headless Chromium from a file, as a teacher would. What the page shows after its
 * scripts ran (the score, the failed rows, the faults, a reply's bytes) is compared with the JSON
 * report of the same probe; a reply of {@code <script>} must show as text and never run; no
 * script error, no request; a screenshot of each page in target/screenshots.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProbePageTest {
    private static final String SCRIPT = "<script>document.title='pwned'</script>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aServerThatRepliesWithAScriptHasItsReplyShownAsTextAndTheScriptNeverRuns() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Path page = dir.resolve("probe.html");
        Path json = dir.resolve("probe.json");
        try (DatagramSocket server = scriptServer()) {
            Upcase probe = Upcase.run("probe", "--udp", "127.0.0.1:" + server.getLocalPort(), "--level", "textbook",
                    "--timeout", "500ms", "--format", "html", "--output", page.toString(), "--json", json.toString());
            assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.FAILURE);
        }
        JsonNode report = JSON.readTree(json.toFile());

        ShownPage shown = ShownPage.open(chromium, page, "probe-script-reply");
        assertThat(shown.shown().get("title")).as("the page's title after its scripts ran").isEqualTo("upcase probe");
        assertThat(shown.dom()).doesNotContain(SCRIPT).contains(html(SCRIPT));
        assertPageMatchesJson(shown, report);
        assertThat(report.get("failed").asInt()).isEqualTo(2);
        // The reply as the probe shows bytes (quoted), visible as text in each failed row.
        assertThat(strings(shown.values().get("got"))).containsOnly("\"" + SCRIPT + "\"").hasSize(2);
        // The TCP checks did not apply: one grey row for them all, with the reason, as in the table.
        assertThat(report.get("not_applicable").asInt()).isPositive();
        assertThat(count(shown.dom(), "<tr class=\"check na\"")).isEqualTo(1);
        assertThat(shown.dom()).contains("<code>tcp.*</code>");
    }

    @Test
    void theTextbooksPaddedUdpServerShowsItsScoreItsFailedRowsAndTheirFaultAsTheJsonHasThem() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Tool.require("setsid", "util-linux");
        Path server = Files.copy(Upcase.resource("/textbook/UDPServer.java"), dir.resolve("UDPServer.java"));
        Path page = dir.resolve("padded.html");
        Path json = dir.resolve("padded.json");
        Upcase probe = Upcase.run("probe", "--run", Upcase.JAVA_SOURCE + " " + server + " {udp}", "--start-timeout", "25s",
                "--timeout", "500ms", "--format", "html", "--output", page.toString(), "--json", json.toString());
        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.FAILURE);
        JsonNode report = JSON.readTree(json.toFile());

        ShownPage shown = ShownPage.open(chromium, page, "probe-padded");
        assertPageMatchesJson(shown, report);
        assertThat(strings(shown.values().get("faults"))).contains("the reply is padded with 1,013 NUL bytes: the server"
                + " sends its whole receive buffer (1,024 bytes) instead of the received length");
        assertThat(shown.dom()).contains(html(server.toString()) + " {udp}".replace("{udp}", ""));
    }

    @Test
    void aClassSummaryLinksEachReportAndSortsByScoreWithItsOwnScript() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Tool.require("setsid", "util-linux");
        Python.assumeAvailable();
        Path fixed = submission("fixed", Files.readString(Path.of("examples/python/udp_server.py")));
        Path ascii = submission("ascii", """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('127.0.0.1', int(sys.argv[1])))
                while True:
                    message, address = s.recvfrom(65535)
                    s.sendto(message.upper(), address)  # ASCII letters only
                """);
        Path script = submission("script", """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('127.0.0.1', int(sys.argv[1])))
                while True:
                    message, address = s.recvfrom(65535)
                    s.sendto(b"%s", address)
                """.formatted(SCRIPT));
        Path out = dir.resolve("reports");
        Upcase probe = Upcase.run("probe", "--run", "python3 {dir}/server.py {udp}", "--each", script.toString(),
                fixed.toString(), ascii.toString(), "--parallel", "2", "--timeout", "500ms", "--format", "html",
                "--output", out.toString());
        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.OK);
        assertThat(probe.stdout()).contains("summary.html in " + out);
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));

        Path page = out.resolve("summary.html");
        ShownPage shown = ShownPage.open(chromium, page, "probe-class-summary");
        assertThat(strings(shown.values().get("order"))).as("as graded").containsExactly("script", "fixed", "ascii");
        // Each row: its link, its score and checks failed as the CSV has them, its colour.
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            Matcher row = Pattern.compile("<tr class=\"([a-z]+)\"><td data-value=\"" + f[0] + "\"><a href=\"" + f[0]
                    + "\\.html\">" + f[0] + "</a></td><td class=\"num\" data-value=\"" + f[1] + "\">" + f[1] + "/" + f[2]
                    + "</td><td class=\"num\" data-value=\"" + f[3] + "\">" + f[3] + "</td>").matcher(shown.dom());
            assertThat(row.find()).as("the row of %s in %s", line, shown.dom()).isTrue();
            assertThat(row.group(1)).isEqualTo(switch (f[0]) {
                case "fixed" -> "full";
                case "ascii" -> "partial";
                default -> "zero";
            });
            assertThat(out.resolve(f[0] + ".html")).isRegularFile();
        }
        assertThat(csv.get(1)).startsWith("script,0,");

        // The page's own sort, asked for by the URL's fragment (what a header's click sets).
        assertThat(sorted(chromium, page, "-score")).containsExactly("fixed", "ascii", "script");
        assertThat(sorted(chromium, page, "score")).containsExactly("script", "ascii", "fixed");
        assertThat(sorted(chromium, page, "submission")).containsExactly("ascii", "fixed", "script");
        assertThat(sorted(chromium, page, "-failed")).containsExactly("script", "ascii", "fixed");

        // The zero's own report: its script shown as text, never run.
        ShownPage report = ShownPage.open(chromium, out.resolve("script.html"), "probe-class-script");
        assertThat(report.shown().get("title")).isEqualTo("upcase probe: script");
        assertThat(report.dom()).doesNotContain(SCRIPT).contains(html(SCRIPT));
    }

    /** The rows in the order the page shows them, opened at {@code #sort=KEY}. */
    private static List<String> sorted(Chromium chromium, Path page, String key) throws Exception {
        Chromium.Page opened = chromium.dumpDom(page, "sort=" + key);
        assertThat(opened.consoleErrors()).isEmpty();
        assertThat(opened.dom()).contains("aria-sort=\"" + (key.startsWith("-") ? "descending" : "ascending") + "\"");
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"[a-z]+\"><td data-value=\"([^\"]*)\">").matcher(opened.dom());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The score, the failed rows and their faults: on the page as in the JSON of the same probe. */
    private static void assertPageMatchesJson(ShownPage shown, JsonNode report) {
        assertThat(shown.values().get("score")).isEqualTo(report.get("score").asText() + "/" + report.get("max_score").asText());
        assertThat(((Number) shown.values().get("failedRows")).intValue()).isEqualTo(report.get("failed").asInt());
        List<String> faults = new ArrayList<>();
        report.get("checks").forEach(c -> {
            if (c.get("verdict").asText().equals("fail")) {
                faults.add(c.get("diagnosis").asText());
            }
        });
        assertThat(strings(shown.values().get("faults"))).isEqualTo(faults);
    }

    /** Answers every datagram with a script, as a hostile (or unlucky) student's server might. */
    private static DatagramSocket scriptServer() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        byte[] reply = SCRIPT.getBytes(UTF_8);
        // Owned by the test: closing the socket ends the loop.
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[65535];
            try {
                while (true) {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                }
            } catch (IOException closed) {
                // the test is done
            }
        });
        return socket;
    }

    private Path submission(String name, String serverPy) throws IOException {
        Path d = Files.createDirectories(dir.resolve("class").resolve(name));
        Files.writeString(d.resolve("server.py"), serverPy);
        return d;
    }

    /** How Chromium serializes the text in the DOM. */
    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
