package upcase.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.bench.BenchRun.figure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.bench.BenchRun;
import upcase.cli.Main;
import upcase.support.Chromium;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * {@code --report}: real runs against upcase's servers on loopback, their pages opened by headless
 * Chromium from a file. The test reads what the page shows after its scripts ran (axis labels,
 * legend entries, the p99 in the table) and compares it with the JSON of the same run; it checks
 * that no script failed and no request left the page, and keeps a screenshot of each page in
 * target/screenshots for a person to look at.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BenchReportTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final String P99_ROW = "p99 (µs, lower is better)";
    private static TcpServer tcp;
    private static UdpServer udp;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        tcp = TcpServer.start(TcpServerConfig.defaults(LOOPBACK));
        udp = UdpServer.start(new UdpServerConfig(LOOPBACK, UpperCase.unicode()));
    }

    @AfterAll
    static void stop() {
        tcp.close();
        udp.close();
    }

    @Test
    void aRunAtARateBesideAClosedLoopRunShowsBothCurvesTheLegendAndTheP99OfTheJson() throws Exception {
        Chromium chromium = Chromium.require(dir);
        int port = tcp.localAddress().getPort();
        Path before = dir.resolve("before.json");
        Path after = dir.resolve("after.json");
        Path page = dir.resolve("after.html");
        BenchRun.of("bench", "tcp", "127.0.0.1", port, "--connections", 2, "--rate", 2000, "--duration", "2s",
                "--warmup", "0s", "--json", before).exits(Main.OK);
        BenchRun.of("bench", "tcp", "127.0.0.1", port, "--connections", 4, "--depth", 2, "--duration", "2s",
                "--warmup", "500ms", "--json", after, "--report", page, "--compare", before).exits(Main.OK);

        ShownPage shown = ShownPage.open(chromium, page, "bench-tcp-compare");
        assertThat(shown.legend("chart-percentiles"))
                .containsExactly("after", "before (corrected)", "before (raw, uncorrected)");
        // HdrHistogram's percentile axis: 4,000 latencies reach past 99.9%.
        assertThat(shown.xTicks("chart-percentiles")).contains("0%", "50%", "90%", "99%", "99.9%");
        assertThat(shown.chart("chart-percentiles").get("better")).isEqualTo("lower is better");
        assertThat(shown.chart("chart-rate").get("better")).isEqualTo("higher is better");
        assertThat(shown.legend("chart-rate")).containsExactly("after", "before");
        assertThat(shown.xTicks("chart-p99")).contains("1", "2");
        assertThat(shown.chartIds()).contains("chart-errors").doesNotContain("chart-lost");

        // The p99 of each run, as the JSON has it and as the table shows it.
        List<?> p99 = (List<?>) shown.values().get("p99");
        assertThat(((Map<?, ?>) p99.get(0)).get("json")).isEqualTo(figure(after, "p99"));
        assertThat(((Map<?, ?>) p99.get(1)).get("json")).isEqualTo(figure(before, "p99"));
        assertThat(shown.cell("after", P99_ROW)).isEqualTo(ShownPage.asShown(figure(after, "p99")));
        assertThat(shown.cell("before", P99_ROW)).isEqualTo(ShownPage.asShown(figure(before, "p99")));
        assertThat(shown.dom()).contains("OK: every reply was right");
    }

    @Test
    void aUdpRunShowsLossAndLateRepliesOverTime() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Path json = dir.resolve("udp.json");
        Path page = dir.resolve("udp.html");
        BenchRun.of("bench", "udp", "127.0.0.1", udp.localAddress().getPort(), "--sockets", 2, "--depth", 4,
                "--duration", "2s", "--warmup", "0s", "--json", json, "--report", page).exits(Main.OK);
        ShownPage shown = ShownPage.open(chromium, page, "bench-udp");
        assertThat(shown.legend("chart-lost")).containsExactly("udp");
        assertThat(shown.legend("chart-late")).containsExactly("udp");
        assertThat(shown.legend("chart-percentiles")).containsExactly("udp");
        assertThat(shown.cell("udp", P99_ROW)).isEqualTo(ShownPage.asShown(figure(json, "p99")));
    }

    @Test
    void aMergedReportShowsTheMergedPercentiles() throws Exception {
        Chromium chromium = Chromium.require(dir);
        int port = tcp.localAddress().getPort();
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        BenchRun.of("bench", "tcp", "127.0.0.1", port, "--duration", "1500ms", "--warmup", "0s", "--histogram-log", a)
                .exits(Main.OK);
        BenchRun.of("bench", "tcp", "127.0.0.1", port, "--duration", "1500ms", "--warmup", "0s", "--histogram-log", b)
                .exits(Main.OK);
        Path json = dir.resolve("merged.json");
        Path page = dir.resolve("merged.html");
        BenchRun.of("bench", "merge", a, b, "--json", json, "--report", page).exits(Main.OK);
        ShownPage shown = ShownPage.open(chromium, page, "bench-merge");
        assertThat(shown.legend("chart-percentiles")).containsExactly("merged");
        assertThat(shown.legend("chart-rate")).containsExactly("merged");
        assertThat(shown.cell("merged", P99_ROW)).isEqualTo(ShownPage.asShown(figure(json, "p99")));
    }

    @Test
    void compareFilesAreCheckedBeforeTheRun() throws IOException {
        int port = tcp.localAddress().getPort();
        BenchRun missing = BenchRun.of("bench", "tcp", "127.0.0.1", port, "--duration", "100ms", "--report",
                dir.resolve("r.html"), "--compare", dir.resolve("nope.json")).exits(Main.USAGE);
        assertThat(missing.stderr()).startsWith("upcase: no such file: ");
        assertThat(missing.stdout()).as("no run").isEmpty();

        BenchRun withoutReport = BenchRun.of("bench", "tcp", "127.0.0.1", port, "--compare", dir.resolve("x.json"))
                .exits(Main.USAGE);
        assertThat(withoutReport.stderr()).contains("--compare needs --report");

        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"scenario\": \"tcp\", oops}");
        BenchRun bad = BenchRun.of("bench", "tcp", "127.0.0.1", port, "--duration", "100ms", "--warmup", "0s",
                "--report", dir.resolve("r.html"), "--compare", notJson).exits(Main.FAILURE);
        assertThat(bad.stderr().strip()).startsWith("upcase: " + notJson + ": not an 'upcase bench --json' file (")
                .doesNotContain("\n");
    }
}
