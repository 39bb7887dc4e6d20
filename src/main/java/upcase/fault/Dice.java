package upcase.fault;

import java.util.SplittableRandom;

/**
 * The random choices of one serving thread: whether a datagram is dropped, how long a reply
 * waits. Not thread-safe, on purpose: each thread that draws owns its own (an event loop, the
 * UDP reply loop), so a seeded run draws the same sequence for the same traffic.
 */
public final class Dice {
    private final SplittableRandom random;
    private final long delayNanos;
    private final long jitterNanos;
    private final double dropRate;

    Dice(Faults faults, long seed) {
        this.random = new SplittableRandom(seed);
        this.delayNanos = faults.delay().toNanos();
        this.jitterNanos = faults.jitter().toNanos();
        this.dropRate = faults.udpDropRate();
    }

    /** How long the next reply waits: the delay plus a uniform draw from 0 to the jitter, inclusive. */
    public long replyDelayNanos() {
        return jitterNanos == 0 ? delayNanos : delayNanos + random.nextLong(jitterNanos + 1);
    }

    /** Whether the next datagram gets no reply; draws nothing when the rate is 0. */
    public boolean drops() {
        return dropRate > 0 && random.nextDouble() < dropRate;
    }
}
