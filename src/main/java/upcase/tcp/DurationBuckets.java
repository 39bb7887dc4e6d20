package upcase.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection durations in fixed buckets, recorded once per close by the closing loop's thread,
 * read at scrape time by any thread. From a few milliseconds (a client sending one line) to an
 * hour (a held session); the buckets are Prometheus's usual 1-2.5-5 steps, thinned.
 */
final class DurationBuckets {
    private static final double[] UPPER_BOUNDS_SECONDS =
            {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800, 3600, Double.POSITIVE_INFINITY};
    private static final long[] UPPER_BOUNDS_NANOS = new long[UPPER_BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < UPPER_BOUNDS_SECONDS.length; i++) {
            UPPER_BOUNDS_NANOS[i] = Double.isInfinite(UPPER_BOUNDS_SECONDS[i])
                    ? Long.MAX_VALUE
                    : (long) (UPPER_BOUNDS_SECONDS[i] * 1e9);
        }
    }

    private final LongAdder[] counts = new LongAdder[UPPER_BOUNDS_SECONDS.length];
    private final LongAdder sumNanos = new LongAdder();

    DurationBuckets() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        int i = 0;
        while (nanos > UPPER_BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(nanos);
    }

    DurationHistogram snapshot() {
        List<Double> bounds = new ArrayList<>(UPPER_BOUNDS_SECONDS.length);
        List<Long> values = new ArrayList<>(UPPER_BOUNDS_SECONDS.length);
        for (int i = 0; i < counts.length; i++) {
            bounds.add(UPPER_BOUNDS_SECONDS[i]);
            values.add(counts[i].sum());
        }
        return new DurationHistogram(bounds, values, sumNanos.sum() / 1e9);
    }
}
