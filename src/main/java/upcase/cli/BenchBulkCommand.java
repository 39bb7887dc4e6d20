package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.bench.Bench;

@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = "One connection streaming N MB of lines while reading the replies concurrently; every byte is checked.")
final class BenchBulkCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Mixin
    ServerAddress.Tcp server;

    @Option(names = "--megabytes", paramLabel = "N", defaultValue = "100", converter = CountConverter.class,
            description = "Megabytes (10^6 bytes) to send (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--warmup-megabytes", paramLabel = "W", defaultValue = "0", converter = CountConverter.OrZero.class,
            description = "Stream W megabytes more first, checked but not timed: the clock starts after them "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmupMegabytes;

    @Option(names = "--line", paramLabel = "BYTES", defaultValue = "1024", converter = CountConverter.class,
            description = "Bytes per line, line feed included (default: ${DEFAULT-VALUE}).")
    int line;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Positive.class,
            description = "Fail if the connect, or the transfer, stalls this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    BenchCommand.Common common;

    @Mixin
    TlsClientOptions tls;

    @Spec
    CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        if (common.histogramLog != null) {
            throw new ParameterException(commandSpec.commandLine(),
                    "bench bulk times no lines, so it has no histogram log: --histogram-log is for tcp, udp, connect and idle");
        }
        Io io = bench.main.io();
        Bench.BulkSpec spec = new Bench.BulkSpec(BenchCommand.target(server.host, server.port(), tls.settings()), megabytes, warmupMegabytes, line,
                timeout, common.expect());
        return common.finish(io, Bench.bulk(spec, common.output(io)));
    }
}
