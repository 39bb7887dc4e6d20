package upcase.net;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as people write them on a command line: {@code 200ms}, {@code 1s}, {@code 5m}, {@code 1h}, or ISO-8601
 * {@code PT0.2S}; and {@code 20us} for the few settings that live below a millisecond (--udp-spin).
 */
public final class Durations {
    private Durations() {}

    /** @throws IllegalArgumentException with a message fit to show a user */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        // By hand rather than with a regular expression: a client parses its --timeout at start-up,
        // where compiling a Pattern costs more than the whole exchange with the server.
        int digits = 0;
        while (digits < trimmed.length() && trimmed.charAt(digits) >= '0' && trimmed.charAt(digits) <= '9') {
            digits++;
        }
        String unit = trimmed.substring(digits).toLowerCase(Locale.ROOT);
        try {
            if (digits > 0 && (unit.equals("us") || unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h"))) {
                long n = Long.parseLong(trimmed.substring(0, digits));
                return switch (unit) {
                    case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            if (trimmed.equals("0")) {
                return Duration.ZERO;
            }
            Duration iso = Duration.parse(trimmed);
            if (iso.isNegative()) {
                throw new IllegalArgumentException("a duration cannot be negative: '" + text + "'");
            }
            return iso;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (write it like 20us, 200ms, 1s, 5m, 1h or PT0.2S)");
        }
    }

    /** The short form, for messages: {@code 1s}, {@code 200ms}, {@code 20us}. */
    public static String format(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0 && d.toSeconds() == 0) {
            return d.toNanos() / 1000 + "us";
        }
        if (d.toMillisPart() != 0 || d.isZero()) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
