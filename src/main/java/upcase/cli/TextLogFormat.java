package upcase.cli;

import java.util.logging.LogRecord;
import upcase.net.LogEvent;

/**
 * {@code upcase: message}, with the cause's text, or its stack trace when verbose: the servers'
 * log as it has always been, byte for byte. Events new with the JSON log are left out.
 */
final class TextLogFormat extends LogLineFormat {
    TextLogFormat(boolean verbose) {
        super(verbose);
    }

    @Override
    String line(LogRecord record, LogEvent event, Throwable thrown) {
        if (event != null && !event.event().inTextLog()) {
            return "";
        }
        StringBuilder line = new StringBuilder("upcase: ").append(event != null ? event.message() : formatMessage(record));
        if (thrown != null && verbose) {
            line.append(System.lineSeparator()).append(stackTrace(thrown));
        } else if (thrown != null) {
            line.append(": ").append(thrown);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
