package upcase.cli;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import upcase.fault.Faults;

/** The UDP server's fault knob (docs/PROTOCOL.md §Faults): drop a share of the datagrams. */
final class UdpFaultOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--udp-drop-rate", paramLabel = "P", defaultValue = Faults.DEFAULT_DROP_RATE,
            converter = ShareConverter.class,
            description = "Fault knob: leave this share (0 to 1) of UDP datagrams unanswered, chosen at random; default: 0.")
    double dropRate;

    CommandLine commandLine() {
        return spec.commandLine();
    }

    /** A number from 0 to 1. */
    static final class ShareConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                double p = Double.parseDouble(value.strip());
                if (p >= 0 && p <= 1) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // falls through to the one message
            }
            throw new TypeConversionException("'" + value + "' is not a number from 0 to 1");
        }
    }
}
