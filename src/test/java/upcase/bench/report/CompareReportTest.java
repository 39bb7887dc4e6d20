package upcase.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.bench.BenchRun;
import upcase.cli.Main;
import upcase.support.Chromium;

/**
 * {@code bench compare-report} on a small fixture results directory in compare.sh's format (three
 * rounds, four servers, scenarios a server cannot run and a failed round), opened in headless
 * Chromium: every scenario's charts with the servers on the axis, a dot per round, which way is
 * better, and upcase's ratio to the best peer computed here independently from runs.tsv.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompareReportTest {
    private static final String FIXTURE = "compare-results/";

    @TempDir
    Path dir;

    private Path fixture() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        for (String name : List.of("runs.tsv", "machine.txt")) {
            try (InputStream in = getClass().getResourceAsStream(FIXTURE + name)) {
                Files.copy(in, results.resolve(name));
            }
        }
        return results;
    }

    /** The median over rounds of upcase / peer for a scenario's column, straight from runs.tsv. */
    private static double ratio(Path tsv, String scenario, String column, String peer) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String> header = List.of(lines.getFirst().split("\t", -1));
        int col = header.indexOf(column);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            Double upcase = null;
            Double other = null;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f[0].equals(String.valueOf(round)) && f[2].equals(scenario) && f[3].equals("ok")) {
                    if (f[1].equals("upcase")) {
                        upcase = Double.parseDouble(f[col]);
                    } else if (f[1].equals(peer)) {
                        other = Double.parseDouble(f[col]);
                    }
                }
            }
            if (upcase != null && other != null) {
                ratios.add(upcase / other);
            }
        }
        ratios.sort(null);
        return ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
                : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
    }

    @Test
    void theFixtureBecomesAPageWithEveryScenarioRoundAndRatio() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Path results = fixture();
        BenchRun run = BenchRun.of("bench", "compare-report", results).exits(Main.OK);
        Path page = results.resolve("report.html");
        assertThat(run.stdout().strip()).isEqualTo(page.toString());

        ShownPage shown = ShownPage.open(chromium, page, "compare-report");
        // tcp-1x1, tcp-100x1, connect, udp-64x8: rate, p99, CPU per reply; bulk: MB/s; idle: KiB per connection.
        assertThat(shown.chartIds()).contains("chart-tcp-1x1-0", "chart-tcp-1x1-1", "chart-tcp-1x1-2", "chart-bulk-0",
                "chart-idle-0", "chart-udp-64x8-2").doesNotContain("chart-bulk-1");
        assertThat(shown.chart("chart-tcp-100x1-0").get("better")).isEqualTo("higher is better");
        assertThat(shown.chart("chart-tcp-100x1-1").get("better")).isEqualTo("lower is better");
        assertThat(shown.chart("chart-tcp-100x1-2").get("title")).isEqualTo("server CPU per reply (µs)");
        assertThat(shown.chart("chart-idle-0").get("better")).isEqualTo("lower is better");
        assertThat(shown.legend("chart-tcp-1x1-0")).containsExactly("median", "round 1", "round 2", "round 3");
        assertThat(shown.xTicks("chart-tcp-100x1-0")).containsExactly("upcase", "netty", "socat", "python (n/a)");
        assertThat(shown.xTicks("chart-connect-0")).contains("socat (2/3 rounds)");

        String rate = String.format(Locale.ROOT, "×%.2f", ratio(results.resolve("runs.tsv"), "tcp-100x1", "rate", "netty"));
        String text = String.valueOf(((java.util.Map<?, ?>) shown.values().get("ratios")).get("tcp-100x1 / replies/s"));
        assertThat(text).startsWith("upcase ÷ netty (best peer): " + rate).endsWith("(higher is better)");
        assertThat(text).contains(Double.parseDouble(rate.substring(1)) >= 1 ? "upcase ahead" : "peer ahead");
        String kib = String.format(Locale.ROOT, "×%.2f", ratio(results.resolve("runs.tsv"), "idle", "kib_per_connection", "netty"));
        assertThat(String.valueOf(((java.util.Map<?, ?>) shown.values().get("ratios")).get("idle / KiB per connection")))
                .startsWith("upcase ÷ netty (best peer): " + kib).contains("upcase ahead").endsWith("(lower is better)");
        assertThat(shown.dom()).contains("round 2, socat: failed (errors 3, mismatches 0)");
    }

    /** compare.sh's column of system calls per reply, where perf counted them: one chart more. */
    @Test
    void systemCallsPerReplyGetAChartWhereCounted() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Path results = fixture();
        Path tsv = results.resolve("runs.tsv");
        List<String> lines = Files.readAllLines(tsv);
        List<String> withSyscalls = new ArrayList<>();
        withSyscalls.add(lines.getFirst().replace("\tcpu_us_per_reply\t", "\tcpu_us_per_reply\tsyscalls_per_reply\t"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            String count = f[2].equals("udp-64x8") && f[3].equals("ok") ? (f[1].equals("upcase") ? "1.96" : "1.06") : "";
            int note = line.lastIndexOf('\t');
            withSyscalls.add(line.substring(0, note) + "\t" + count + line.substring(note));
        }
        Files.write(tsv, withSyscalls);
        BenchRun.of("bench", "compare-report", results).exits(Main.OK);

        ShownPage shown = ShownPage.open(chromium, results.resolve("report.html"), "compare-report-syscalls");
        assertThat(shown.chart("chart-udp-64x8-3").get("title")).isEqualTo("server system calls per reply");
        assertThat(shown.chart("chart-udp-64x8-3").get("better")).isEqualTo("lower is better");
        assertThat(shown.chartIds()).doesNotContain("chart-tcp-1x1-3", "chart-bulk-1");
        assertThat(String.valueOf(((java.util.Map<?, ?>) shown.values().get("ratios")).get("udp-64x8 / server system calls per reply")))
                .startsWith("upcase ÷ netty (best peer): ×1.85").contains("peer ahead");
    }

    @Test
    void aMissingDirectoryIsUsageAndOneWithoutRunsIsAFailure() throws IOException {
        BenchRun missing = BenchRun.of("bench", "compare-report", dir.resolve("nope")).exits(Main.USAGE);
        assertThat(missing.stderr()).startsWith("upcase: no such directory: ");
        BenchRun empty = BenchRun.of("bench", "compare-report", dir).exits(Main.FAILURE);
        assertThat(empty.stderr().strip()).isEqualTo("upcase: " + dir + ": no runs.tsv in it (not a bench/compare.sh results directory)");
        Files.writeString(dir.resolve("runs.tsv"), "round\tserver\tscenario\tstatus\n1\tupcase\n");
        BenchRun bad = BenchRun.of("bench", "compare-report", dir).exits(Main.FAILURE);
        assertThat(bad.stderr()).contains("line 2 has 2 fields, the header 4");
    }
}
