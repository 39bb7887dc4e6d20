package upcase.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the servers' System.Logger output (backed by java.util.logging) to stderr as one line
 * per event, {@code upcase: message}. Servers only: clients never touch logging, which keeps
 * their start-up short.
 */
final class LogSetup {
    private LogSetup() {}

    static void configure(PrintStream stderr, boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Level level = verbose ? Level.FINE : Level.INFO;
        root.setLevel(level);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    stderr.print(getFormatter().format(record));
                    stderr.flush();
                }
            }

            @Override
            public void flush() {
                stderr.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        handler.setLevel(level);
        handler.setFormatter(new OneLine(verbose));
        root.addHandler(handler);
    }

    /** {@code upcase: message}, with the cause's message, or its stack trace when verbose. */
    private static final class OneLine extends Formatter {
        private final boolean verbose;

        OneLine(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder("upcase: ").append(formatMessage(record));
            Throwable thrown = record.getThrown();
            if (thrown != null && verbose) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            } else if (thrown != null) {
                line.append(": ").append(thrown);
            }
            return line.append(System.lineSeparator()).toString();
        }
    }
}
