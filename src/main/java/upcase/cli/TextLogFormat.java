package upcase.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import upcase.net.LogEvent;

/**
 * {@code upcase: message}, with the cause's text, or its stack trace when verbose: the servers'
 * log as it has always been, byte for byte. Events new with the JSON log are left out.
 */
final class TextLogFormat extends Formatter {
    private final boolean verbose;

    TextLogFormat(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public String format(LogRecord record) {
        LogEvent event = LogSetup.eventOf(record);
        if (event != null && !event.event().inTextLog()) {
            return "";
        }
        StringBuilder line = new StringBuilder("upcase: ").append(event != null ? event.message() : formatMessage(record));
        Throwable thrown = LogSetup.thrownOf(record, event);
        if (thrown != null && verbose) {
            line.append(System.lineSeparator()).append(stackTrace(thrown));
        } else if (thrown != null) {
            line.append(": ").append(thrown);
        }
        return line.append(System.lineSeparator()).toString();
    }

    static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }
}
