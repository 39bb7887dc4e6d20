package upcase.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One load thread's counters. Only that thread writes them (a plain read of its own value, then
 * an opaque store: no lock, no atomic read-modify-write); the reporting thread reads them with
 * opaque loads while the run goes on. Padded so two threads' counters do not share a cache line.
 */
final class Tally {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 8;
    private static final Count[] COUNTS = Count.values();

    private final long[] counts = new long[PAD + COUNTS.length + PAD];

    /** Owner thread only. */
    void add(Count count, long n) {
        int i = PAD + count.ordinal();
        SLOT.setOpaque(counts, i, counts[i] + n);
    }

    /** Owner thread only. */
    void add(Count count) {
        add(count, 1);
    }

    long get(Count count) {
        return (long) SLOT.getOpaque(counts, PAD + count.ordinal());
    }

    /** Every counter summed over {@code tallies}, indexed by {@link Count#ordinal()}. */
    static long[] sum(List<Tally> tallies) {
        long[] total = new long[COUNTS.length];
        for (Tally t : tallies) {
            for (Count c : COUNTS) {
                total[c.ordinal()] += t.get(c);
            }
        }
        return total;
    }
}
