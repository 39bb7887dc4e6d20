package upcase.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import upcase.bench.Bench;
import upcase.bench.Report;
import upcase.bench.report.BenchReport;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;
import upcase.tls.ClientTlsSettings;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Measure an uppercase server (upcase's or any other): throughput, latency percentiles, errors.",
            "Every reply is checked byte for byte. One progress line per second goes to stderr, the summary to stdout.",
            "Exit 1 if any reply was wrong or anything failed. See docs/BENCH.md."
        },
        subcommands = {
            BenchTcpCommand.class,
            BenchUdpCommand.class,
            BenchBulkCommand.class,
            BenchIdleCommand.class,
            BenchConnectCommand.class,
            BenchMergeCommand.class,
            BenchCompareReportCommand.class
        })
final class BenchCommand {
    @ParentCommand
    Main main;

    /** Where a report goes: the JSON file, the HTML page and the runs it overlays (bench runs and bench merge). */
    static final class Results {
        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(names = "--json", paramLabel = "FILE",
                description = "Also write every figure to FILE as JSON.")
        Path json;

        @Option(names = "--report", paramLabel = "FILE.html",
                description = "Also write a self-contained HTML page: parameters, verdict, latency by percentile, "
                        + "replies/s, p99 and errors over the run.")
        Path report;

        @Option(names = "--compare", paramLabel = "OTHER.json", arity = "1..*",
                description = "With --report: overlay these runs (their --json files) on the charts, one legend entry each.")
        List<Path> compare = new ArrayList<>();

        /** Before the run: --compare needs --report, and its files must exist (exit 2). */
        void check() {
            if (!compare.isEmpty() && report == null) {
                throw new ParameterException(command.commandLine(), "--compare needs --report FILE.html");
            }
            for (Path file : compare) {
                if (!Files.isRegularFile(file)) {
                    throw new ParameterException(command.commandLine(), "no such file: " + file);
                }
            }
        }

        /** Prints the summary, writes the JSON and the page, and gives the exit code. */
        int finish(Io io, Report result) throws IOException {
            String json = result.json();
            if (this.json != null) {
                Files.writeString(this.json, json, StandardCharsets.UTF_8);
            }
            if (report != null) {
                String label = report.getFileName().toString().replaceFirst("\\.html?$", "");
                BenchReport.write(report, label, json, compare);
            }
            io.stdout().write(result.table().getBytes(StandardCharsets.UTF_8));
            io.stdout().flush();
            return result.failed() ? Main.FAILURE : Main.OK;
        }
    }

    /** What every bench run shares: where results go, the histogram log, and the expected transform. */
    static final class Common {
        @Mixin
        Results results;

        @Option(names = "--histogram-log", paramLabel = "FILE",
                description = "Also write the window's latencies to FILE as an HdrHistogram interval log, one interval "
                        + "per second (tagged corrected and raw with --rate), for 'upcase bench merge' and HdrHistogram's tools.")
        Path histogramLog;

        @Option(names = "--ascii",
                description = "Expect only a-z uppercased (tr a-z A-Z, Python's bytes.upper()); default: Unicode.")
        boolean ascii;

        @Option(names = "--utf8",
                description = "Mix two-byte lowercase letters (é ñ ö ç ø ü) into the text, so that --ascii and Unicode replies differ.")
        boolean utf8;

        /** Checks the output options before the run starts. */
        Bench.Output output(Io io) {
            results.check();
            return new Bench.Output(io.stderr(), histogramLog);
        }

        Bench.Expect expect() {
            return new Bench.Expect(ascii ? UpperCase.ascii() : UpperCase.unicode(), utf8);
        }

        int finish(Io io, Report report) throws IOException {
            return results.finish(io, report);
        }
    }

    /** The timed scenarios (tcp, udp, connect): how long, how big, how many threads. */
    static final class Timed {
        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
                converter = DurationConverter.Positive.class,
                description = "How long to measure, after the warm-up (default: ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
                description = "Load this long first, without counting replies or latency (errors still count; default: ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", converter = CountConverter.class,
                description = "Bytes per line, line feed included, or per datagram (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "1", converter = CountConverter.class,
                description = "Load threads, each with its own selector (default: ${DEFAULT-VALUE}).")
        int threads;

        Bench.Timing timing() {
            return new Bench.Timing(duration, warmup);
        }
    }

    /** {@code --rate}, for the timed scenarios: an open loop, with coordinated-omission correction. */
    static final class Rate {
        @Option(names = "--rate", paramLabel = "R", converter = CountConverter.class,
                description = "Send R lines, datagrams or connections per second in all, on a fixed schedule; latency "
                        + "counts from when each was due (default: each goes as soon as the previous reply came).")
        Integer rate;

        /** Per second, or 0 for none. */
        double perSecond() {
            return rate == null ? 0 : rate;
        }
    }

    /** {@link #target(String, int)}, spoken to with TLS when {@code tls} is not null. */
    static Bench.Target target(String host, int port, ClientTlsSettings tls) throws UnknownHostException {
        Bench.Target plain = target(host, port);
        return tls == null ? plain
                : new Bench.Target(plain.address(), plain.name(), new Bench.Tls(tls, host, SocketAddresses.hostPort(host, port)));
    }

    /** Resolves HOST once, up front: an unknown host is one line and exit 1. */
    static Bench.Target target(String host, int port) throws UnknownHostException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException(host);
        }
        InetSocketAddress resolved = new InetSocketAddress(address, port);
        return new Bench.Target(resolved, SocketAddresses.format(resolved));
    }
}
