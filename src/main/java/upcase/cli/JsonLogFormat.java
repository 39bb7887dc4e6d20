package upcase.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import upcase.json.JsonString;
import upcase.net.LogEvent;

/**
 * One JSON object per line (JSON Lines): {@code ts} (RFC 3339, UTC, milliseconds), {@code level},
 * {@code event}, {@code message}, the event's fields in order, then {@code error} (and, with
 * --verbose, {@code stack_trace}) when there is a cause. A record that is not a {@link LogEvent}
 * (the JDK's, a library's) becomes event {@code log} with its {@code logger}. Every string goes
 * through {@link JsonString}, so what a peer put into a message cannot break the line.
 */
final class JsonLogFormat extends LogLineFormat {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    JsonLogFormat(boolean verbose) {
        super(verbose);
    }

    @Override
    String line(LogRecord record, LogEvent event, Throwable thrown) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"ts\":\"").append(TS.format(record.getInstant()))
                .append("\",\"level\":\"").append(level(record.getLevel()))
                .append("\",\"event\":\"").append(event != null ? event.event().id() : "log")
                .append("\",\"message\":");
        JsonString.append(event != null ? event.message() : formatMessage(record), line);
        if (event != null) {
            for (LogEvent.Field f : event.fields()) {
                member(f.name(), f.value(), line);
            }
        } else {
            member("logger", record.getLoggerName(), line);
        }
        if (thrown != null) {
            member("error", thrown.toString(), line);
            if (verbose) {
                member("stack_trace", stackTrace(thrown), line);
            }
        }
        return line.append("}\n").toString();
    }

    /** System.Logger's level names, which is what the servers log with. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        } else if (v >= Level.WARNING.intValue()) {
            return "warning";
        } else if (v >= Level.INFO.intValue()) {
            return "info";
        } else if (v >= Level.FINE.intValue()) {
            return "debug";
        }
        return "trace";
    }

    private static void member(String name, Object value, StringBuilder line) {
        line.append(',');
        JsonString.append(name, line).append(':');
        switch (value) {
            case null -> line.append("null");
            case Integer _, Long _, Short _, Byte _, Boolean _ -> line.append(value);
            case Double d when Double.isFinite(d) -> line.append(d);
            case Double _ -> line.append("null");
            // Seconds, to the microsecond: plain decimals (0.000125), never an exponent.
            case Duration d -> line.append(BigDecimal.valueOf(d.toNanos() / 1_000, 6).stripTrailingZeros().toPlainString());
            default -> JsonString.append(value.toString(), line);
        }
    }
}
