package upcase.tcp;

import java.util.List;

/**
 * How long the server's connections lasted, from accept to close, in fixed buckets: a snapshot
 * for metrics. Counts are per bucket (not cumulative); the last upper bound is infinity.
 *
 * @param upperBoundsSeconds each bucket's upper bound, inclusive, ascending
 * @param counts connections per bucket, one per upper bound
 * @param sumSeconds the durations added up
 */
public record DurationHistogram(List<Double> upperBoundsSeconds, List<Long> counts, double sumSeconds) {
    public DurationHistogram {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        counts = List.copyOf(counts);
        if (upperBoundsSeconds.size() != counts.size()) {
            throw new IllegalArgumentException("one count per bucket");
        }
    }

    /** Connections recorded. */
    public long count() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
