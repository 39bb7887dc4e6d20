package upcase.grade;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import upcase.cli.Main;

/** The grading options' mistakes: exit 2 and one line saying what to do, before anything starts. */
class ProbeUsageTest {
    @TempDir
    Path dir;

    private static void assertUsage(String message, String... args) {
        Upcase probe = Upcase.run(args);
        assertThat(probe.exit()).as(probe.toString()).isEqualTo(Main.USAGE);
        assertThat(probe.stderr()).contains(message);
    }

    @Test
    void mistakes() throws Exception {
        assertUsage("give --run or --tcp/--udp, not both", "probe", "--run", "s {tcp}", "--tcp", "localhost:1");
        assertUsage("or a program to start: --run COMMAND", "probe");
        assertUsage("--each writes one report per submission: give the directory for them with --output DIR",
                "probe", "--run", "s {dir} {tcp}", "--each", dir.toString());
        assertUsage("--each grades each directory's program", "probe", "--tcp", "localhost:1", "--each", dir.toString());
        assertUsage("--parallel is for --each", "probe", "--run", "s {tcp}", "--parallel", "2");
        assertUsage("'pdf' is not a format (table, json, junit, gradescope, tap, html)", "probe", "--tcp", "localhost:1", "--format", "pdf");
        assertUsage("the command must say where the port goes", "probe", "--run", "python3 server.py 12000");
        Path points = dir.resolve("points.txt");
        Files.writeString(points, "tcp.textbook.lines = 3\n");
        assertUsage(points + " line 1: 'tcp.textbook.lines' matches no check", "probe", "--tcp", "localhost:1", "--points",
                points.toString());
        assertUsage("cannot read " + dir.resolve("missing.txt"), "probe", "--tcp", "localhost:1", "--points",
                dir.resolve("missing.txt").toString());
        Files.createDirectories(dir.resolve("a/x"));
        Files.createDirectories(dir.resolve("b/x"));
        assertUsage("have the same name: their reports would collide", "probe", "--run", "s {dir} {tcp}", "--each",
                dir.resolve("a/x").toString(), dir.resolve("b/x").toString(), "--output", dir.resolve("out").toString());
    }
}
