package upcase.tcp;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import upcase.fault.Dice;
import upcase.fault.Faults;

/**
 * The fault knobs of one {@link EventLoop}, touched only by its thread; the loop has none
 * (null) when every knob is off. Holds the loop's random source and its timers: the delayed
 * replies, earliest first, which the loop's select() wakes up for.
 *
 * <p>A connection has at most one delayed reply (it is not read while one waits), so the
 * timers hold at most one entry per connection; an entry whose connection closed meanwhile is
 * skipped when it comes due.
 */
final class LoopFaults {
    private final Faults faults;
    private final Dice dice;
    private final PriorityQueue<ConnectionFaults> due =
            new PriorityQueue<>(Comparator.comparingLong(ConnectionFaults::dueAt));

    LoopFaults(Faults faults, int loopIndex) {
        this.faults = faults;
        this.dice = faults.dice(loopIndex);
    }

    /** Null when no knob is on: the connection's read path then pays one null check. */
    static LoopFaults of(Faults faults, int loopIndex) {
        return faults.any() ? new LoopFaults(faults, loopIndex) : null;
    }

    ConnectionFaults forConnection(Connection c) {
        return new ConnectionFaults(c, this, faults.lineLimit(), faults.resets(), faults.delays());
    }

    /** Schedules {@code c}'s delayed reply; returns when it is due. */
    void schedule(ConnectionFaults c, long now) {
        c.dueAt(now + dice.replyDelayNanos());
        due.add(c);
    }

    /** How long select() may block before the earliest reply is due: at least 1 ms (0 means forever to select). */
    long millisUntilNextDue(long now, long otherwise) {
        ConnectionFaults first = due.peek();
        if (first == null) {
            return otherwise;
        }
        long nanos = first.dueAt() - now;
        return Math.max(1, Math.min(otherwise, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }

    /** Writes every reply due by {@code now}. */
    void runDue(long now, EventLoop loop) {
        ConnectionFaults first;
        while ((first = due.peek()) != null && first.dueAt() - now <= 0) {
            due.poll();
            loop.replyDue(first.connection());
        }
    }
}
