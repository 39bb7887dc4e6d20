package upcase.tcp;

/**
 * One connection's share of the fault knobs: how many lines it still gets answered
 * (--close-after, --reset-after) and when its delayed reply is due (--delay, --jitter).
 * Touched only by the loop's thread; exists only when a knob is on.
 */
final class ConnectionFaults {
    private final Connection connection;
    private final LoopFaults loop;
    private final int lineLimit;
    private final boolean resets;
    private final boolean delays;
    private long linesLeft;
    private long dueAt;

    ConnectionFaults(Connection connection, LoopFaults loop, int lineLimit, boolean resets, boolean delays) {
        this.connection = connection;
        this.loop = loop;
        this.lineLimit = lineLimit;
        this.resets = resets;
        this.delays = delays;
        this.linesLeft = lineLimit;
    }

    /**
     * How much of {@code in[0, end)} is answered: all of it, or with a line limit, up to and
     * including the line feed that ends the last line allowed. Bytes after that line feed are
     * never answered (PROTOCOL.md §Faults).
     */
    int answerable(byte[] in, int end) {
        if (lineLimit == 0 || linesLeft == 0) {
            return end;
        }
        for (int i = 0; i < end; i++) {
            if (in[i] == '\n' && --linesLeft == 0) {
                return i + 1;
            }
        }
        return end;
    }

    /** Whether the connection has had its last line answered and must end once that reply is out. */
    boolean exhausted() {
        return lineLimit != 0 && linesLeft == 0;
    }

    int lineLimit() {
        return lineLimit;
    }

    boolean resets() {
        return resets;
    }

    boolean delays() {
        return delays;
    }

    void schedule(long now) {
        loop.schedule(this, now);
    }

    Connection connection() {
        return connection;
    }

    long dueAt() {
        return dueAt;
    }

    void dueAt(long value) {
        dueAt = value;
    }
}
