package upcase.tcp;

import java.util.concurrent.atomic.LongAdder;
import upcase.text.LineFeeds;

/** The server's counters, updated by every connection thread; LongAdder keeps them off each other's cache lines. */
final class TcpCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder lines = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    void accepted() {
        accepted.increment();
    }

    void refused(Refusal why) {
        refused.increment();
    }

    /** Returns the line feeds it counted, for the connection's own count. */
    int received(byte[] buf, int from, int to) {
        bytesIn.add(to - from);
        int n = LineFeeds.count(buf, from, to);
        lines.add(n);
        return n;
    }

    void sent(int n) {
        bytesOut.add(n);
    }

    TcpStats snapshot(int open) {
        return new TcpStats(accepted.sum(), refused.sum(), open, lines.sum(), bytesIn.sum(), bytesOut.sum());
    }
}
