package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import upcase.bench.Bench;

@Command(name = "udp", mixinStandardHelpOptions = true,
        description = {
            "Datagrams from C sockets, each keeping D datagrams of S bytes in flight.",
            "A datagram with no reply within --timeout is lost; a reply after that is late, not a success."
        })
final class BenchUdpCommand implements Callable<Integer> {
    /** The tag that names a datagram: every datagram needs room for it. */
    static final int MIN_SIZE = 12;
    /** The largest UDP payload over IPv4. */
    static final int MAX_SIZE = 65_507;

    @ParentCommand
    BenchCommand bench;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerAddress.Udp server;

    @Option(names = "--sockets", paramLabel = "C", defaultValue = "10", converter = CountConverter.class,
            description = "Sockets, each with its own port (default: ${DEFAULT-VALUE}).")
    int sockets;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "1", converter = CountConverter.class,
            description = "Datagrams in flight per socket (default: ${DEFAULT-VALUE}).")
    int depth;

    @Mixin
    BenchCommand.Rate rate;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.Positive.class,
            description = "A datagram with no reply within this is lost (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-loss", paramLabel = "PERCENT", defaultValue = "1", converter = Percent.class,
            description = "Fail (exit 1) if more than this share of datagrams is lost, e.g. 0.5 or 0.5%% (default: ${DEFAULT-VALUE}%%).")
    double maxLoss;

    @Mixin
    BenchCommand.Timed timed;

    @Mixin
    BenchCommand.Common common;

    @Mixin
    BenchEngineOption engine;

    @Override
    public Integer call() throws Exception {
        if (timed.size < MIN_SIZE || timed.size > MAX_SIZE) {
            throw new ParameterException(spec.commandLine(), "--size must be " + MIN_SIZE + " to " + MAX_SIZE
                    + " for datagrams (each carries a " + MIN_SIZE + "-character tag), not " + timed.size);
        }
        Io io = bench.main.io();
        Bench.UdpSpec udp = new Bench.UdpSpec(BenchCommand.target(server.host, server.port()), sockets, depth, timed.size,
                timed.timing(), rate.perSecond(), timed.threads, timeout, maxLoss, common.expect(), engine.resolve(false));
        return common.finish(io, Bench.udp(udp, common.output(io)));
    }

    /** {@code 1}, {@code 0.5}, {@code 0.5%}: a share from 0 to 100 percent. */
    static final class Percent implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String text = value.strip();
            if (text.endsWith("%")) {
                text = text.substring(0, text.length() - 1).strip();
            }
            try {
                double p = Double.parseDouble(text);
                if (p >= 0 && p <= 100) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // falls through to the one message
            }
            throw new TypeConversionException("'" + value + "' is not a percentage (0 to 100)");
        }
    }
}
