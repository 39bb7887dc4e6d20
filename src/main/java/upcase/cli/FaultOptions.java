package upcase.cli;

import java.time.Duration;
import java.util.OptionalLong;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import upcase.fault.Faults;

/**
 * The fault knobs every server command has (docs/PROTOCOL.md §Faults); the transport's own
 * ones are in {@link TcpFaultOptions} and {@link UdpFaultOptions}. All off by default.
 */
final class FaultOptions {
    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = Faults.DEFAULT_DELAY,
            converter = DurationConverter.class,
            description = "Fault knob: hold every reply this long (a TCP read's worth, or a UDP datagram); default: none.")
    Duration delay;

    @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = Faults.DEFAULT_JITTER,
            converter = DurationConverter.class,
            description = "Fault knob: add a uniform random 0..DURATION to each reply's delay; default: none.")
    Duration jitter;

    @Option(names = "--seed", paramLabel = "N",
            description = "Make the fault knobs' random choices (drops, jitter) repeatable; default: different every run.")
    Long seed;

    /** Every knob given; the transports take their share ({@link Faults#forTcp()}, {@link Faults#forUdp()}). */
    Faults faults(TcpFaultOptions tcp, UdpFaultOptions udp) {
        try {
            return new Faults(delay, jitter, udp == null ? 0 : udp.dropRate, tcp == null ? 0 : tcp.closeAfter(),
                    tcp == null ? 0 : tcp.resetAfter(), seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(tcp != null ? tcp.commandLine() : udp.commandLine(), e.getMessage());
        }
    }
}
