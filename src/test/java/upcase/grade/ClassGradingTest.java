package upcase.grade;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import upcase.cli.Main;
import upcase.support.Tool;

/**
 * {@code upcase probe --each}: a class of three UDP submissions graded two at a time (the fixed
 * example, the textbook's padded server, one that never listens), one report each, a summary.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassGradingTest {
    @TempDir
    Path dir;

    @Test
    void threeSubmissionsTwoAtATime() throws Exception {
        Tool.require("setsid", "util-linux");
        Path fixed = submission("fixed", Files.readString(Path.of("examples/java/UDPServer.java")));
        Path padded = submission("padded", Files.readString(Upcase.resource("/textbook/UDPServer.java")));
        Path silent = submission("silent", """
                class UDPServer {
                    public static void main(String[] args) throws Exception {
                        Thread.sleep(600_000); // never binds its port
                    }
                }
                """);
        Path out = dir.resolve("reports");

        // The start timeout must let a JVM compile its source on a loaded machine; the silent one waits all of it.
        Upcase probe = Upcase.run("probe", "--run", Upcase.JAVA_SOURCE + " {dir}/UDPServer.java {udp}",
                "--each", fixed.toString(), padded.toString(), silent.toString(), "--parallel", "2",
                "--level", "textbook", "--format", "junit", "--output", out.toString(), "--start-timeout", "25s");

        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.OK);
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).isEqualTo("submission,score,max_score,failed,checks_failed,note");
        assertThat(csv.get(1)).isEqualTo("fixed,20,20,0,,");
        assertThat(csv.get(2)).isEqualTo("padded,0,20,2,udp.textbook.datagram udp.textbook.punctuation,");
        assertThat(csv.get(3)).startsWith("silent,0,20,2,udp.textbook.datagram udp.textbook.punctuation,"
                + "\"not probed: nothing answered on udp port ")
                .endsWith(" within 25s, and the program has no listening socket: does it wait for input, or start slower than --start-timeout?\"");

        String text = Files.readString(out.resolve("summary.txt"));
        assertThat(probe.stdout()).contains(text).contains("graded fixed: 20/20", "graded padded: 0/20", "graded silent: 0/20");
        assertThat(text.lines().toList().getFirst()).startsWith("submission  score  max  failed  checks failed");

        for (String name : List.of("fixed", "padded", "silent")) {
            Element suite = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(out.resolve(name + ".xml").toFile()).getElementsByTagName("testsuite").item(0);
            assertThat(suite.getAttribute("name")).isEqualTo(name);
            assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        }
        assertThat(Files.readString(out.resolve("padded.xml"))).contains("the reply is padded with 1,013 NUL bytes");
    }

    private Path submission(String name, String udpServer) throws Exception {
        Path d = Files.createDirectories(dir.resolve("class").resolve(name));
        Files.writeString(d.resolve("UDPServer.java"), udpServer);
        return d;
    }
}
