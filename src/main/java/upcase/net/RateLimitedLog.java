package upcase.net;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Logs an event at most once per interval, with the number of events since the last line, so
 * that a flood (refused connections, loop-guarded datagrams) cannot flood the log. Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger logger;
    private final Level level;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger logger, Level level, Duration interval) {
        this.logger = logger;
        this.level = level;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Logs the event now, or counts it if a line went out less than an interval ago. The
     * event is built only when it is logged: a flood costs a counter, not a message per event.
     * The line that ends a quiet interval says how many were left out ({@code suppressed}).
     */
    public void log(Supplier<LogEvent> event) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long more = suppressed.getAndSet(0);
        if (!logger.isLoggable(level)) {
            return;
        }
        LogEvent e = event.get();
        if (more > 0) {
            e = new LogEvent(e.event(), e.message() + " (and " + more + " more like it)", e.fields(), e.cause())
                    .with("suppressed", more);
        }
        e.log(logger, level);
    }
}
