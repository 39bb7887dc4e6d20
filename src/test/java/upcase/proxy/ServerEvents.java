package upcase.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import upcase.net.LogEvent;

/**
 * The TCP server's log events in this JVM, debug ones included, as the servers log them: what
 * the {@code connection_opened}/{@code connection_closed}/{@code refused} events say about a peer.
 */
final class ServerEvents implements AutoCloseable {
    private final Logger logger = Logger.getLogger("upcase.tcp");
    private final Level levelBefore = logger.getLevel();
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            Object[] params = r.getParameters();
            if (params != null && params.length == 1 && params[0] instanceof LogEvent e) {
                events.add(e);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    ServerEvents() {
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
    }

    /** The events named {@code id} so far. */
    List<LogEvent> named(String id) {
        return events.stream().filter(e -> e.event().id().equals(id)).toList();
    }

    /** A field's value in an event, or null. */
    static Object field(LogEvent e, String name) {
        return e.fields().stream().filter(f -> f.name().equals(name)).map(LogEvent.Field::value).findFirst().orElse(null);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(levelBefore);
    }
}
