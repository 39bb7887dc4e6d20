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

@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = "One connection streaming N MB of lines while reading the replies concurrently; every byte is checked.")
final class BenchBulkCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", defaultValue = "localhost",
            description = "Server name or address (default: ${DEFAULT-VALUE}).")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", converter = PortConverter.Remote.class,
            defaultValue = "${env:UPCASE_TCP_PORT:-" + TcpServerConfig.DEFAULT_PORT + "}",
            description = "Server port (default: ${DEFAULT-VALUE}; env UPCASE_TCP_PORT).")
    int port;

    @Option(names = "--megabytes", paramLabel = "N", defaultValue = "100", converter = CountConverter.class,
            description = "Megabytes (10^6 bytes) to send (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--line", paramLabel = "BYTES", defaultValue = "1024", converter = CountConverter.class,
            description = "Bytes per line, line feed included (default: ${DEFAULT-VALUE}).")
    int line;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Positive.class,
            description = "Fail if the connect, or the transfer, stalls this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    BenchCommand.Common common;

    @Override
    public Integer call() throws Exception {
        Io io = bench.main.io();
        Bench.BulkSpec spec = new Bench.BulkSpec(BenchCommand.target(host, port), megabytes, line, timeout,
                common.expect());
        return common.finish(io, Bench.bulk(spec, io.stderr()));
    }
}
