package upcase.udp;

/**
 * Whether the native engine's serving thread should spin (--udp-spin) after the batch it has just
 * answered: after a batch of {@link #SPIN_AFTER} or more, as long as spins bring
 * {@link #SPIN_PAID} or more; after one that brings fewer, not for the next {@link #SPIN_RETRY}
 * such batches, then once more, so that a load that grows is seen. One per serving thread, which
 * alone calls it.
 */
final class SpinRule {
    /**
     * The batch that shows several clients at once: each spin then follows at least this many
     * datagrams, so it costs at most a quarter of --udp-spin per datagram. A client that waits for
     * each reply brings one datagram per batch and never makes the thread spin.
     */
    static final int SPIN_AFTER = 4;
    /**
     * The batch a spin must bring to be worth its wait. Measured (docs/PERFORMANCE.md): 10 clients
     * waiting for each reply bring batches of 4 and more, but a spin brings them few more, and on a
     * shared CPU a thread that spins loses the scheduler's preference for one that sleeps:
     * spinning after each such batch cost them x0.4-0.7 of their replies/s and up to 20 times the
     * p99. 64 sockets x 8 in flight bring 8 and more after most spins, and keep spinning.
     */
    static final int SPIN_PAID = 8;
    /** Batches of {@link #SPIN_AFTER} or more served without a spin after one that did not pay. */
    static final int SPIN_RETRY = 64;

    /** The batch now answered came after a spin. */
    private boolean spun;
    /** Batches of {@link #SPIN_AFTER} or more still to be served without a spin. */
    private int skips;

    /** After a batch of {@code count} datagrams: whether to spin before the next receive. */
    boolean spinAfter(int count) {
        if (spun && count < SPIN_PAID) {
            skips = SPIN_RETRY;
        }
        spun = false;
        if (count < SPIN_AFTER) {
            return false;
        }
        if (skips > 0) {
            skips--;
            return false;
        }
        spun = true;
        return true;
    }
}
