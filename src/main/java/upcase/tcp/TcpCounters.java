package upcase.tcp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import upcase.text.LineFeeds;

/**
 * The server's counters, updated by every loop thread; LongAdder keeps them off each other's
 * cache lines. Only {@link #received} and {@link #sent} run per read; the rest once per
 * connection. Read at any time by {@link #snapshot} (the stop summary, metrics scrapes).
 */
final class TcpCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder[] refused = adders(Refusal.values().length);
    private final LongAdder[] closed = adders(CloseReason.values().length);
    private final DurationBuckets durations = new DurationBuckets();
    private final LongAdder lines = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder faultCloses = new LongAdder();
    private final LongAdder faultResets = new LongAdder();
    private final DurationBuckets tlsHandshakes = new DurationBuckets();

    void accepted() {
        accepted.increment();
    }

    void refused(Refusal why) {
        refused[why.ordinal()].increment();
    }

    /** Once per accepted connection, when it closes, after {@code nanos} open. */
    void closed(CloseReason why, long nanos) {
        closed[why.ordinal()].increment();
        durations.record(nanos);
    }

    /** A TLS handshake done, {@code nanos} after the accept; the connection is then accepted too. */
    void handshaken(long nanos) {
        tlsHandshakes.record(nanos);
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

    /** A reply held back by --delay/--jitter. */
    void delayed() {
        delayed.increment();
    }

    /** A connection ended by --close-after ({@code reset} false) or --reset-after. */
    void endedByFault(boolean reset) {
        (reset ? faultResets : faultCloses).increment();
    }

    TcpStats snapshot(int open) {
        Map<Refusal, Long> refusals = new EnumMap<>(Refusal.class);
        for (Refusal r : Refusal.values()) {
            refusals.put(r, refused[r.ordinal()].sum());
        }
        Map<CloseReason, Long> closes = new EnumMap<>(CloseReason.class);
        for (CloseReason r : CloseReason.values()) {
            closes.put(r, closed[r.ordinal()].sum());
        }
        return new TcpStats(accepted.sum(), refusals, closes, open, lines.sum(), bytesIn.sum(), bytesOut.sum(),
                durations.snapshot(), delayed.sum(), faultCloses.sum(), faultResets.sum(),
                tlsHandshakes.snapshot());
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
