package upcase.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import upcase.net.Durations;

/** {@code 200ms}, {@code 1s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT0.2S}). */
class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        if (d.isZero() && !zeroAllowed()) {
            throw new TypeConversionException("'" + value + "' must be longer than zero");
        }
        return d;
    }

    boolean zeroAllowed() {
        return true;
    }

    /** A wait that must end: zero would mean giving up before starting. */
    static final class Positive extends DurationConverter {
        @Override
        boolean zeroAllowed() {
            return false;
        }
    }
}
