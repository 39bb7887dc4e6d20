package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.bench.Bench;

@Command(name = "idle", mixinStandardHelpOptions = true,
        description = {
            "Open N connections, hold them idle, then prove each one still answers; prints how many were held.",
            "With --server-pid, also the server's resident memory before and after, and KiB per connection."
        })
final class BenchIdleCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Mixin
    ServerAddress.Tcp server;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "1000", converter = CountConverter.class,
            description = "Connections to open, gradually (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--hold", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to hold them without traffic (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--server-pid", paramLabel = "PID", converter = CountConverter.class,
            description = "The server's process id: report its resident memory (Linux /proc).")
    Integer serverPid;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", converter = CountConverter.class,
            description = "Threads opening and checking the connections (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Positive.class,
            description = "A connect, or the reply after the hold, taking longer than this is an error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    BenchCommand.Common common;

    @Mixin
    BenchEngineOption engine;

    @Override
    public Integer call() throws Exception {
        Io io = bench.main.io();
        Bench.IdleSpec spec = new Bench.IdleSpec(BenchCommand.target(server.host, server.port()), connections, hold, threads, timeout,
                serverPid == null ? 0 : serverPid, common.expect(), engine.resolve(false));
        return common.finish(io, Bench.idle(spec, common.output(io)));
    }
}
