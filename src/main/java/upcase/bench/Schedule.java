package upcase.bench;

/**
 * With {@code --rate}: when each line is due. One load thread's share of the rate is spread over
 * its units (connections or sockets) in turn: the thread's line {@code k} is due at
 * {@code start + k * interval} and goes to unit {@code k mod units}. Latency is measured from
 * these intended times, not from when a line actually left, so a server that stalls is charged
 * for every line it held up, including those the bench could not send while waiting for it
 * (coordinated-omission correction, as in wrk2).
 */
final class Schedule {
    private final long start;
    private final double interval;
    private final int units;

    /**
     * @param rate lines per second for the whole run
     * @param thread this thread's index, and {@code threads} how many there are: thread {@code t}
     *     starts {@code t} lines' time late, so the threads' lines interleave evenly
     */
    Schedule(long start, double rate, int thread, int threads, int units) {
        double perThread = rate / threads;
        this.interval = 1e9 / perThread;
        this.start = start + Math.round(thread * 1e9 / rate);
        this.units = units;
    }

    /** How many of the thread's lines are due by {@code now}. */
    long dueTotal(long now) {
        return now < start ? 0 : (long) ((now - start) / interval) + 1;
    }

    /** When the thread's line {@code k} is due. */
    long timeOf(long k) {
        return start + (long) (k * interval);
    }

    /** How many lines of {@code unit} are due by {@code now}. */
    long due(int unit, long now) {
        double k = (now - start) / interval - unit;
        return k < 0 ? 0 : (long) (k / units) + 1;
    }

    /** When line {@code line} of {@code unit} was due. */
    long intended(int unit, long line) {
        return timeOf(unit + line * units);
    }
}
