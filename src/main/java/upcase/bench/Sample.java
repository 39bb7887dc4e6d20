package upcase.bench;

/**
 * One progress second of a timed run, as the report's time charts show it.
 *
 * @param seconds since the load started, at the end of this second
 * @param warmup whether the second was (mostly) in the warm-up
 * @param repliesPerSecond right replies over the second
 * @param p99Nanos the 99th percentile of the latencies recorded in this second alone; -1 if none
 * @param errors errors, mismatches, resets and failed connects in this second
 * @param lost datagrams counted lost in this second (UDP)
 * @param late late replies in this second (UDP)
 */
record Sample(double seconds, boolean warmup, double repliesPerSecond, long p99Nanos, long errors, long lost,
        long late) {}
