package upcase.grade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import upcase.cli.Main;
import upcase.support.Python;
import upcase.support.Tool;

/**
 * {@code upcase probe --run} as a teacher uses it: real programs (the textbook's, the fixed
 * examples, upcase itself, broken ones) started, probed, stopped and graded, through the command line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GradingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of("examples").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theTextbooksJavaUdpServerLosesExactlyThePaddingPoints() throws Exception {
        Tool.require("setsid", "util-linux");
        Path results = dir.resolve("results.json");
        Upcase probe = Upcase.run("probe", "--run", Upcase.JAVA_SOURCE + " " + Upcase.resource("/textbook/UDPServer.java") + " {udp}",
                "--level", "textbook", "--format", "gradescope", "--output", results.toString(), "--start-timeout", "60s");

        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.FAILURE);
        JsonNode json = JSON.readTree(results.toFile());
        assertThat(json.get("score").asInt()).isZero();
        List<String> lost = new ArrayList<>();
        for (JsonNode test : json.get("tests")) {
            assertThat(test.get("max_score").asInt()).isEqualTo(10);
            if (test.get("score").asInt() == 0) {
                lost.add(test.get("name").asText().split(":")[0]);
                assertThat(test.get("output").asText()).contains("fault     the reply is padded with")
                        .contains("the server sends its whole receive buffer (1,024 bytes) instead of the received length");
            }
        }
        assertThat(lost).containsExactly("udp.textbook.datagram", "udp.textbook.punctuation");
        // The live table went to standard output meanwhile.
        assertThat(probe.stdout()).contains("FAIL  udp.textbook.datagram").contains("score 0/20");
    }

    @Test
    void upcaseItselfGetsFullMarksAtTheFullLevel() throws Exception {
        Tool.require("setsid", "util-linux");
        Upcase probe = Upcase.run("probe", "--run", Upcase.upcaseServer("--tcp-port {tcp} --udp-port {udp}"), "--format", "json",
                "--start-timeout", "60s");

        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.OK);
        JsonNode json = JSON.readTree(probe.stdout()); // the format in place of the table
        assertThat(json.get("failed").asInt()).isZero();
        assertThat(json.get("not_applicable").asInt()).isZero();
        assertThat(json.get("score").asInt()).isEqualTo(json.get("max_score").asInt()).isEqualTo(64);
        assertThat(json.get("program").get("ended").asText()).isEqualTo("stopped with SIGTERM");
    }

    @Test
    void theJavaExamplesGetFullMarksWhenInvalidBytesAreNotAskedFor() throws Exception {
        Tool.require("setsid", "util-linux");
        // Both servers from one command: the group's stop ends both. The Java examples replace
        // invalid UTF-8 by design (examples/README.md): a points file weighs that check to zero.
        Path points = dir.resolve("points.txt");
        Files.writeString(points, "*.invalid-bytes = 0   # the examples decode UTF-8 strictly, by design\n");
        Path junit = dir.resolve("report.xml");
        String both = Upcase.JAVA_SOURCE + " " + EXAMPLES.resolve("java/TCPServer.java") + " {tcp} & exec "
                + Upcase.JAVA_SOURCE + " " + EXAMPLES.resolve("java/UDPServer.java") + " {udp}";
        Upcase probe = Upcase.run("probe", "--run", both, "--points", points.toString(), "--format", "junit",
                "--output", junit.toString(), "--start-timeout", "60s");

        assertThat(probe.stdout()).contains("score 62/62");
        Element suite = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile())
                .getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("28");
        assertThat(suite.getAttribute("failures")).as(probe.toString()).isEqualTo("2");
        assertThat(probe.exit()).isEqualTo(Main.FAILURE); // a check failed, if for no points
    }

    @Test
    void thePythonExamplesGetFullMarksAtTheFullLevel() throws Exception {
        Tool.require("setsid", "util-linux");
        Python.assumeAvailable();
        String both = "python3 " + EXAMPLES.resolve("python/tcp_server.py") + " {tcp} & exec python3 "
                + EXAMPLES.resolve("python/udp_server.py") + " {udp}";
        Upcase probe = Upcase.run("probe", "--run", both, "--format", "tap");

        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.OK);
        assertThat(probe.stdout()).startsWith("TAP version 13\n1..28\n").doesNotContain("not ok").contains("# score 64/64\n");
    }

    @Test
    void aServerThatDiesOnItsFirstClientIsReportedWithItsStderr() throws Exception {
        Tool.require("setsid", "util-linux");
        Python.assumeAvailable();
        Path server = dir.resolve("server.py");
        Files.writeString(server, """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('', int(sys.argv[1])))
                message, address = s.recvfrom(2048)
                raise ValueError('cannot handle ' + message.decode())
                """);
        Upcase probe = Upcase.run("probe", "--run", "python3 " + server + " {udp}", "--level", "textbook", "--timeout", "500ms");

        assertThat(probe.exit()).isEqualTo(Main.FAILURE);
        assertThat(probe.stdout())
                .contains("FAIL  udp.textbook.datagram")
                .contains("ended:   exited by itself with status 1, during the probe")
                .contains("its stderr, last ")
                .contains("ValueError: cannot handle hello world");
    }
}
