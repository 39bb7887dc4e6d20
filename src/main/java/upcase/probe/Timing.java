package upcase.probe;

import java.time.Duration;

/**
 * How long one check may wait. Every wait for a reply is bounded by {@code timeout} (a silent
 * server fails the check with "no reply within 2s"), and all the waits of one check together by
 * {@code deadline}, so that a server that trickles a byte now and then cannot stall the probe.
 *
 * @param timeout the longest a single wait for a reply may last
 * @param deadline the check's end, a {@link System#nanoTime()} value
 */
public record Timing(Duration timeout, long deadline) {
    /**
     * A check may take this many timeouts in all: enough for its longest legitimate sequence
     * (several replies, each one timeout apart at worst), short enough to bound the probe.
     */
    static final int TIMEOUTS_PER_CHECK = 4;

    /** The timing of a check that starts now and must end by {@code probeDeadline} at the latest. */
    public static Timing startingNow(Duration timeout, long probeDeadline) {
        long now = System.nanoTime();
        long left = probeDeadline - now;
        // Compared as durations: a timeout of years must not overflow into a deadline in the past.
        Duration own = timeout.multipliedBy(TIMEOUTS_PER_CHECK);
        return new Timing(timeout, own.compareTo(Duration.ofNanos(left)) < 0 ? now + own.toNanos() : probeDeadline);
    }

    /** The next wait: the timeout, or what is left of the check when less; zero once it is over. */
    public Duration nextWait() {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(left).compareTo(timeout) < 0 ? Duration.ofNanos(left) : timeout;
    }

    /** The same deadline with shorter waits: for a pause that only looks whether something came. */
    Timing withTimeout(Duration shorter) {
        return new Timing(shorter.compareTo(timeout) < 0 ? shorter : timeout, deadline);
    }

    /**
     * Waits that together last one timeout from now: for the replies to requests sent at the
     * same moment, so that a silent server costs one timeout, not one per request.
     */
    Timing sharingOneTimeout() {
        long now = System.nanoTime();
        return Duration.ofNanos(deadline - now).compareTo(timeout) <= 0 ? this : new Timing(timeout, now + timeout.toNanos());
    }

    /** {@link #nextWait()} as a socket timeout. */
    int nextWaitMillis() {
        return socketTimeout(nextWait());
    }

    /** A wait in whole milliseconds for a socket, where 0 would mean forever: at least 1. */
    static int socketTimeout(Duration wait) {
        return Math.clamp(wait.toMillis(), 1, Integer.MAX_VALUE);
    }

    /** {@code 2s}, {@code 500ms}: how waits appear in diagnoses. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 && millis > 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
