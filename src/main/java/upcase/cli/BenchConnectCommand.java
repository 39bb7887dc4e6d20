package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import upcase.bench.Bench;
import upcase.tcp.TcpServerConfig;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {
            "A new connection for every line (the textbook client's pattern): connect, send one line, read its reply, close.",
            "Works with servers that close after one reply and with servers that keep the connection open."
        })
final class BenchConnectCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", defaultValue = "localhost",
            description = "Server name or address (default: ${DEFAULT-VALUE}).")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", converter = PortConverter.Remote.class,
            defaultValue = "${env:UPCASE_TCP_PORT:-" + TcpServerConfig.DEFAULT_PORT + "}",
            description = "Server port (default: ${DEFAULT-VALUE}; env UPCASE_TCP_PORT).")
    int port;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "1", converter = CountConverter.class,
            description = "Exchanges in progress at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Positive.class,
            description = "A connect, or a reply, taking longer than this is an error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    BenchCommand.Timed timed;

    @Mixin
    BenchCommand.Common common;

    @Override
    public Integer call() throws Exception {
        Io io = bench.main.io();
        Bench.ConnectSpec spec = new Bench.ConnectSpec(BenchCommand.target(host, port), concurrency, timed.size,
                timed.timing(), timed.threads, timeout, common.expect());
        return common.finish(io, Bench.connect(spec, io.stderr()));
    }
}
