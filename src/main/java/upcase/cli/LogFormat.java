package upcase.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How the servers write their log to stderr (docs/OPERATIONS.md §Logs). */
enum LogFormat {
    /** {@code upcase: message}, one line per event: what the servers have always written. */
    TEXT,
    /** One JSON object per line: {@code ts}, {@code level}, {@code event}, {@code message} and the event's fields. */
    JSON;

    /** {@code text} or {@code json}, in any case. */
    static final class Converter implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new TypeConversionException("expected text or json, not '" + value + "'");
            };
        }
    }
}
