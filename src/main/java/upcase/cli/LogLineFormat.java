package upcase.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import upcase.net.LogEvent;

/**
 * What both log formats do first: find the {@link LogEvent} a server logged (the record's only
 * parameter, see {@link LogEvent#log}) and the cause, from the record or from the event. Called
 * on whichever thread logs; keeps no state.
 */
abstract sealed class LogLineFormat extends Formatter permits TextLogFormat, JsonLogFormat {
    /** With --verbose a cause's stack trace is shown. */
    final boolean verbose;

    LogLineFormat(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public final String format(LogRecord record) {
        Object[] params = record.getParameters();
        LogEvent event = params != null && params.length == 1 && params[0] instanceof LogEvent e ? e : null;
        Throwable thrown = record.getThrown() != null ? record.getThrown() : event != null ? event.cause() : null;
        return line(record, event, thrown);
    }

    /** The line, with its line end; empty for none. {@code event} is null for a record from elsewhere. */
    abstract String line(LogRecord record, LogEvent event, Throwable thrown);

    static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }
}
