package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.bench.BenchRun.figure;
import static upcase.support.HistogramLogs.added;
import static upcase.support.HistogramLogs.micros;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.cli.Main;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/**
 * {@code --histogram-log} and {@code bench merge}: two real runs against upcase's server on
 * loopback, one closed-loop and one at a rate (so with corrected and raw intervals), merged; the
 * merge is checked against a histogram the test builds itself from both logs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistogramLogTest {
    private static TcpServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void twoGeneratorsMergeIntoTheSumsAndThePercentilesOfOneHistogram() throws IOException {
        int port = server.localAddress().getPort();
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        Path aJson = dir.resolve("a.json");
        Path bJson = dir.resolve("b.json");
        Path merged = dir.resolve("merged.json");
        BenchRun.of("bench", "tcp", "127.0.0.1", port, "--connections", 3, "--depth", 2, "--duration", "2s",
                "--warmup", "300ms", "--histogram-log", a, "--json", aJson).exits(Main.OK);
        BenchRun.of("bench", "tcp", "127.0.0.1", port, "--connections", 2, "--rate", 1000, "--duration", "2s",
                "--warmup", "0s", "--histogram-log", b, "--json", bJson).exits(Main.OK);

        // Each log holds exactly its run's measured window: the intervals add up to the report's latency count.
        assertThat(added(new String[] {null}, a).getTotalCount()).isEqualTo((long) figure(aJson, "count"));
        assertThat(added(new String[] {"corrected"}, b).getTotalCount()).isEqualTo((long) figure(bJson, "count"));
        assertThat(added(new String[] {"raw"}, b).getTotalCount()).isEqualTo((long) figure(bJson, "count"));
        assertThat(added(new String[] {null}, b).getTotalCount()).as("with a rate, every interval is tagged").isZero();

        BenchRun run = BenchRun.of("bench", "merge", a, b, "--json", merged).exits(Main.OK);
        assertThat(run.stdout()).contains("upcase bench merge", "2 logs", "result           OK");

        // A run's latency count and its replies are read at the window's edges a few replies apart
        // (a reply is recorded, then counted): the merge's replies are the latencies it merged.
        double replies = figure(aJson, "count") + figure(bJson, "count");
        assertThat(figure(merged, "replies")).isEqualTo(replies);
        assertThat(replies).isCloseTo(figure(aJson, "replies") + figure(bJson, "replies"),
                org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(figure(merged, "count")).isEqualTo(replies);
        assertThat(figure(merged, "sent")).isEqualTo(figure(aJson, "sent") + figure(bJson, "sent"));
        assertThat(figure(merged, "verified")).isEqualTo(figure(aJson, "verified") + figure(bJson, "verified"));
        assertThat(figure(merged, "errors")).isZero();

        Histogram all = added(new String[] {null, "corrected"}, a, b);
        assertThat(all.getTotalCount()).isEqualTo((long) replies);
        assertThat(figure(merged, "p50")).isEqualTo(micros(all.getValueAtPercentile(50)));
        assertThat(figure(merged, "p90")).isEqualTo(micros(all.getValueAtPercentile(90)));
        assertThat(figure(merged, "p99")).isEqualTo(micros(all.getValueAtPercentile(99)));
        assertThat(figure(merged, "p99_9")).isEqualTo(micros(all.getValueAtPercentile(99.9)));
        assertThat(figure(merged, "max")).isEqualTo(micros(all.getMaxValue()));

        // The rate is over the union of the time ranges: the runs one after the other, so longer than both windows.
        double seconds = figure(merged, "duration_s");
        assertThat(seconds).isGreaterThan(figure(aJson, "duration_s") + figure(bJson, "duration_s") - 0.1);
        assertThat(figure(merged, "replies_per_s")).isCloseTo(replies / seconds, org.assertj.core.data.Offset.offset(1.0));
        assertThat(Files.readString(merged)).contains("\"raw_latency_us\": [", "\"latency_percentiles\": {");
    }

    @Test
    void hdrHistogramsOwnLogProcessorReadsTheLog() throws IOException {
        Path log = dir.resolve("run.hlog");
        Path json = dir.resolve("run.json");
        BenchRun.of("bench", "tcp", "127.0.0.1", server.localAddress().getPort(), "--connections", 2, "--rate", 500,
                "--duration", "1500ms", "--warmup", "0s", "--histogram-log", log, "--json", json).exits(Main.OK);
        Path out = dir.resolve("processed");
        new HistogramLogProcessor(new String[] {"-i", log.toString(), "-tag", "corrected", "-o", out.toString()}).run();
        assertThat(Files.readString(dir.resolve("processed.hgrm")))
                .containsPattern("Total count += +" + (long) figure(json, "count") + "]");
    }

    @Test
    void aMissingLogIsUsageAndAMalformedOneIsAFailureEachInOneLine() throws IOException {
        BenchRun missing = BenchRun.of("bench", "merge", dir.resolve("nope.hlog")).exits(Main.USAGE);
        assertThat(missing.stderr()).startsWith("upcase: no such file: ").doesNotContain("Exception");

        Path garbage = Files.writeString(dir.resolve("garbage.hlog"), "hello\n1.0,2.0,3.0,HISTFAAAnotbase64\n");
        BenchRun bad = BenchRun.of("bench", "merge", garbage).exits(Main.FAILURE);
        assertThat(bad.stderr().strip()).startsWith("upcase: " + garbage + ": not an HdrHistogram interval log (")
                .doesNotContain("\n").doesNotContain("at upcase.");

        Path empty = Files.writeString(dir.resolve("empty.hlog"), "#[Histogram log format version 1.3]\n");
        BenchRun none = BenchRun.of("bench", "merge", empty).exits(Main.FAILURE);
        assertThat(none.stderr()).contains("no latency intervals");
    }

    @Test
    void idleLogsTheLinesAfterTheHoldAsOneInterval() throws IOException {
        Path log = dir.resolve("idle.hlog");
        Path merged = dir.resolve("idle-merged.json");
        BenchRun.of("bench", "idle", "127.0.0.1", server.localAddress().getPort(), "--connections", 5, "--hold", "200ms",
                "--histogram-log", log).exits(Main.OK);
        assertThat(added(new String[] {null}, log).getTotalCount()).isEqualTo(5);
        BenchRun.of("bench", "merge", log, "--json", merged).exits(Main.OK);
        assertThat(figure(merged, "replies")).isEqualTo(5);
        assertThat(figure(merged, "verified")).isEqualTo(5);
    }

    @Test
    void bulkHasNoHistogramLogAndSaysSo() {
        BenchRun run = BenchRun.of("bench", "bulk", "127.0.0.1", server.localAddress().getPort(), "--megabytes", 1,
                "--histogram-log", dir.resolve("bulk.hlog")).exits(Main.USAGE);
        assertThat(run.stderr()).contains("--histogram-log is for tcp, udp, connect and idle");
    }
}
