package upcase.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.bench.Bench;
import upcase.bench.Report;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

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
            BenchMergeCommand.class
        })
final class BenchCommand {
    @ParentCommand
    Main main;

    /** What every bench subcommand shares: the JSON file and the expected transform. */
    static final class Common {
        @Option(names = "--json", paramLabel = "FILE",
                description = "Also write every figure to FILE as JSON.")
        Path json;

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

        Bench.Output output(Io io) {
            return new Bench.Output(io.stderr(), histogramLog);
        }

        Bench.Expect expect() {
            return new Bench.Expect(ascii ? UpperCase.ascii() : UpperCase.unicode(), utf8);
        }

        /** Prints the summary, writes the JSON, and gives the exit code. */
        int finish(Io io, Report report) throws IOException {
            return BenchCommand.finish(io, report, json);
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

    /** Prints the summary, writes the JSON (if {@code json} is not null), and gives the exit code. */
    static int finish(Io io, Report report, Path json) throws IOException {
        if (json != null) {
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
        }
        io.stdout().write(report.table().getBytes(StandardCharsets.UTF_8));
        io.stdout().flush();
        return report.failed() ? Main.FAILURE : Main.OK;
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
