package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.bench.Bench;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {
            "A new connection for every line (the textbook client's pattern): connect, send one line, read its reply, close.",
            "Works with servers that close after one reply and with servers that keep the connection open.",
            "With --rate, connections start on a fixed schedule and latency counts from when each was due.",
            "Always on the JDK's NIO selector (a loop of its own, not bench tcp's): no --engine here."
        })
final class BenchConnectCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Mixin
    ServerAddress.Tcp server;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "1", converter = CountConverter.class,
            description = "Exchanges in progress at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Positive.class,
            description = "A connect, or a reply, taking longer than this is an error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    BenchCommand.Rate rate;

    @Mixin
    BenchCommand.Timed timed;

    @Mixin
    BenchCommand.Common common;

    @Mixin
    TlsClientOptions tls;

    @Override
    public Integer call() throws Exception {
        Io io = bench.main.io();
        Bench.ConnectSpec spec = new Bench.ConnectSpec(BenchCommand.target(server.host, server.port(), tls.settings()), concurrency, timed.size,
                timed.timing(), rate.perSecond(), timed.threads, timeout, common.expect());
        return common.finish(io, Bench.connect(spec, common.output(io)));
    }
}
