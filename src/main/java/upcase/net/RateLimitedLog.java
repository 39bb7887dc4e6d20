package upcase.net;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

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

    /** Logs {@code message} now, or counts it if a line went out less than an interval ago. */
    public void log(String message) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long more = suppressed.getAndSet(0);
        logger.log(level, more == 0 ? message : message + " (and " + more + " more like it)");
    }
}
