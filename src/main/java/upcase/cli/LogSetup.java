package upcase.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import upcase.net.LogEvent;

/**
 * Routes the servers' System.Logger output (backed by java.util.logging) to stderr as one line
 * per event, in the chosen {@link LogFormat}. Servers only: clients never touch logging, which
 * keeps their start-up short.
 */
final class LogSetup {
    /**
     * The JDK's security events: at debug level, every certificate of the trust store and every
     * TLS handshake, a hundred lines per start with TLS; --verbose is about connections, not
     * that. Held here because java.util.logging keeps loggers only weakly, and a collected one
     * forgets its level.
     */
    private static final Logger JDK_SECURITY_EVENTS = Logger.getLogger("jdk.event.security");

    private LogSetup() {}

    /** Returns the log of the command's own lines (listening, stopping, stopped), in the same format. */
    static ServerLog configure(PrintStream stderr, boolean verbose, LogFormat format) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Level level = verbose ? Level.FINE : Level.INFO;
        root.setLevel(level);
        JDK_SECURITY_EVENTS.setLevel(Level.INFO);
        Formatter formatter = format == LogFormat.JSON ? new JsonLogFormat(verbose) : new TextLogFormat(verbose);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    print(stderr, getFormatter().format(record));
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
        handler.setFormatter(formatter);
        root.addHandler(handler);
        return new ServerLog(stderr, formatter);
    }

    /** One print per line: PrintStream locks per call, so lines from several threads never mix. */
    private static void print(PrintStream stderr, String line) {
        if (!line.isEmpty()) {
            stderr.print(line);
            stderr.flush();
        }
    }

    /**
     * The command's own lines, written straight to the command's stderr rather than through the
     * process-wide logger: a test may run several commands in one JVM, each with its stderr.
     */
    record ServerLog(PrintStream stderr, Formatter formatter) {
        void log(Level level, LogEvent event) {
            LogRecord record = new LogRecord(level, "{0}");
            record.setParameters(new Object[] {event});
            record.setLoggerName("upcase");
            print(stderr, formatter.format(record));
        }
    }
}
