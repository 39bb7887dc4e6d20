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
    private final LongAdder delayed = new LongAdder();
    private final LongAdder faultCloses = new LongAdder();
    private final LongAdder faultResets = new LongAdder();

    void accepted() {
        accepted.increment();
    }

    void refused(Refusal why) {
        refused.increment();
    }

    void received(byte[] buf, int from, int to) {
        bytesIn.add(to - from);
        lines.add(LineFeeds.count(buf, from, to));
    }

    void sent(int n) {
        bytesOut.add(n);
    }

    /** A reply held back by --delay/--jitter. */
    void delayed() {
        delayed.increment();
    }

    /** A connection ended by --close-after ({@code reset} false) or --reset-after. */
    void endedByFault(boolean reset) {
        (reset ? faultResets : faultCloses).increment();
    }

    TcpStats snapshot(int open) {
        return new TcpStats(accepted.sum(), refused.sum(), open, lines.sum(), bytesIn.sum(), bytesOut.sum(),
                delayed.sum(), faultCloses.sum(), faultResets.sum());
    }
}
