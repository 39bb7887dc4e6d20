package upcase.udp;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@code perSecond} replies per second to any one source address: a token bucket per
 * address, holding one second's worth. A UDP source address can be spoofed, so without this a
 * server answers whoever the attacker names; with it, what a spoofed source can reflect through
 * upcase is bounded while other sources are served as usual (PROTOCOL.md §UDP rate limit).
 *
 * <p>The table of sources is bounded: beyond {@code maxSources} the least recently seen source
 * is forgotten (and starts again with a full bucket if it comes back). Used by the serving
 * thread only, so not thread-safe.
 */
final class SourceRateLimit {
    /** Enough for every client of a busy server; about 100 bytes each. */
    static final int DEFAULT_MAX_SOURCES = 65_536;

    private final double perSecond;
    private final Map<InetAddress, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    SourceRateLimit(int perSecond, int maxSources) {
        if (perSecond < 1 || maxSources < 1) {
            throw new IllegalArgumentException("perSecond and maxSources must be positive");
        }
        this.perSecond = perSecond;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Whether a reply to {@code source} may go now ({@code now} in nanoseconds); takes a token if so. */
    boolean allow(InetAddress source, long now) {
        Bucket b = buckets.get(source);
        if (b == null) {
            buckets.put(source, new Bucket(perSecond - 1, now));
            return true;
        }
        b.tokens = Math.min(perSecond, b.tokens + (now - b.refilledAt) * perSecond / 1e9);
        b.refilledAt = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    int sources() {
        return buckets.size();
    }
}
