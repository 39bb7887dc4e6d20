package upcase.net;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;

/**
 * One log line as data: what happened ({@link Event}), the human message (exactly the text
 * log's line, without its {@code upcase: } prefix), the event's fields in order, and the cause
 * if there is one. The servers build it only when the level is on, and pass it to
 * {@link System.Logger} as the message's parameter ({@link #log}); the command line's formatter
 * then writes either the message (text) or the fields (JSON). The servers know nothing of JSON.
 *
 * <p>Field values are strings, numbers, booleans or {@link java.time.Duration}s (written as
 * seconds); a string may hold anything, a peer's bytes or an exception's message included: the
 * JSON formatter escapes it.
 *
 * @param cause shown as the text log always showed a logged exception; null if none
 */
public record LogEvent(Event event, String message, List<Field> fields, Throwable cause) {
    /** Names the JSON line gives its own members. */
    private static final Set<String> RESERVED = Set.of("ts", "level", "event", "message", "error", "stack_trace", "logger");

    /** One named value, such as {@code bytes_in: 12}. */
    public record Field(String name, Object value) {
        public Field {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("a log field cannot be named " + name);
            }
        }
    }

    public LogEvent {
        fields = List.copyOf(fields);
    }

    public static LogEvent of(Event event, String message, Field... fields) {
        return new LogEvent(event, message, List.of(fields), null);
    }

    public static Field field(String name, Object value) {
        return new Field(name, value);
    }

    /** The same event with its cause (a stack trace with --verbose, its text otherwise). */
    public LogEvent causedBy(Throwable thrown) {
        return new LogEvent(event, message, fields, thrown);
    }

    /** The same event with a field added after the others. */
    public LogEvent with(String name, Object value) {
        Field[] more = fields.toArray(new Field[fields.size() + 1]);
        more[fields.size()] = new Field(name, value);
        return new LogEvent(event, message, List.of(more), cause);
    }

    /**
     * Logs it through {@code logger}: the event travels as the record's only parameter, so a
     * logging set-up that knows nothing of it still prints {@link #toString()}, the message.
     */
    public void log(Logger logger, Level level) {
        logger.log(level, "{0}", this);
    }

    @Override
    public String toString() {
        return message;
    }
}
