package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.bench.Bench;

@Command(name = "tcp", mixinStandardHelpOptions = true,
        description = {
            "Pipelined lines over C connections: each keeps D lines of S bytes in flight.",
            "With --rate, lines are sent on a fixed schedule and latency counts from when each was due."
        })
final class BenchTcpCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Mixin
    ServerAddress.Tcp server;

    @Option(names = "--connections", paramLabel = "C", defaultValue = "10", converter = CountConverter.class,
            description = "Connections, opened gradually before the load starts (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "1", converter = CountConverter.class,
            description = "Lines in flight per connection (default: ${DEFAULT-VALUE}).")
    int depth;

    @Mixin
    BenchCommand.Rate rate;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Positive.class,
            description = "A connect, or a reply owed, taking longer than this is an error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    BenchCommand.Timed timed;

    @Mixin
    BenchCommand.Common common;

    @Mixin
    TlsClientOptions tls;

    @Mixin
    BenchEngineOption engine;

    @Override
    public Integer call() throws Exception {
        Io io = bench.main.io();
        Bench.Target target = BenchCommand.target(server.host, server.port(), tls.settings());
        Bench.TcpSpec spec = new Bench.TcpSpec(target, connections, depth, timed.size, timed.timing(), rate.perSecond(),
                timed.threads, timeout, common.expect(), engine.resolve(target.tls() != null));
        return common.finish(io, Bench.tcp(spec, common.output(io)));
    }
}
