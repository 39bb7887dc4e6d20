package upcase.tcp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link TcpServer}'s counters. Each counter is read on its own, so a snapshot
 * taken under traffic may be a few events apart between fields.
 *
 * @param accepted connections served
 * @param refusals connections closed at once, before being served, by reason (every reason present)
 * @param closes served connections closed, by reason (every reason present)
 * @param open connections open now
 * @param lines line feeds received (each ends a line)
 * @param bytesIn bytes received
 * @param bytesOut bytes sent
 * @param durations how long the closed connections lasted
 * @param delayedReplies replies held back by --delay/--jitter (one per read answered)
 * @param faultCloses connections closed (FIN) by --close-after; they count as closes by
 *     {@link CloseReason#FAULT} too
 * @param faultResets connections reset (RST) by --reset-after; likewise
 * @param tlsHandshakes TLS handshakes completed, by how long each took from the accept (each such
 *     connection also counts as accepted);
 *     the failed ones are refusals ({@link Refusal#TLS_HANDSHAKE}, {@link Refusal#HANDSHAKE_TIMEOUT})
 */
public record TcpStats(
        long accepted,
        Map<Refusal, Long> refusals,
        Map<CloseReason, Long> closes,
        long open,
        long lines,
        long bytesIn,
        long bytesOut,
        DurationHistogram durations,
        long delayedReplies,
        long faultCloses,
        long faultResets,
        DurationHistogram tlsHandshakes) {

    public TcpStats {
        refusals = Collections.unmodifiableMap(new EnumMap<>(refusals));
        closes = Collections.unmodifiableMap(new EnumMap<>(closes));
    }

    /** Connections refused, whatever the reason. */
    public long refused() {
        return refusals.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Served connections closed, whatever the reason. */
    public long closed() {
        return closes.values().stream().mapToLong(Long::longValue).sum();
    }
}
