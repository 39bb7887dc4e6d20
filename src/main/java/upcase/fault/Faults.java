package upcase.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import upcase.net.Durations;

/**
 * The fault knobs (PROTOCOL.md §Faults), for people who test their clients and load balancers
 * against upcase: all off by default ({@link #NONE}); a server given {@code NONE} runs exactly
 * as without knobs. The defaults here are the only ones; the CLI takes them from here.
 *
 * @param delay every reply (a TCP read's worth, or a UDP datagram) waits this long
 * @param jitter plus a uniform random wait from 0 to this
 * @param udpDropRate this share of UDP datagrams (0 to 1) gets no reply, chosen at random
 * @param closeAfter a TCP connection is closed (FIN) after its first N lines are answered; 0 = never
 * @param resetAfter a TCP connection is reset (RST) after its first N lines are answered; 0 = never
 * @param seed makes every random choice (drops, jitter) repeatable; empty = a different run each time
 */
public record Faults(
        Duration delay, Duration jitter, double udpDropRate, int closeAfter, int resetAfter, OptionalLong seed) {

    public static final String DEFAULT_DELAY = "0";
    public static final String DEFAULT_JITTER = "0";
    public static final String DEFAULT_DROP_RATE = "0";
    /** 0: no line limit (--close-after, --reset-after). */
    public static final int NO_LINE_LIMIT = 0;
    /** A longer wait would hold a reply past every client's timeout: a typo rather than a test. */
    public static final Duration MAX_DELAY = Duration.ofHours(1);
    public static final Faults NONE =
            new Faults(Duration.ZERO, Duration.ZERO, 0, NO_LINE_LIMIT, NO_LINE_LIMIT, OptionalLong.empty());

    public Faults {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(seed, "seed");
        for (Duration d : List.of(delay, jitter)) {
            if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("a delay or jitter must be between 0 and 1h, not " + d);
            }
        }
        if (!(udpDropRate >= 0 && udpDropRate <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("the UDP drop rate must be between 0 and 1, not " + udpDropRate);
        }
        if (closeAfter < 0 || resetAfter < 0) {
            throw new IllegalArgumentException("a line count cannot be negative");
        }
        if (closeAfter != NO_LINE_LIMIT && resetAfter != NO_LINE_LIMIT) {
            throw new IllegalArgumentException("--close-after and --reset-after cannot both be given");
        }
    }

    /** Whether any knob is on: a server builds its fault machinery only then. */
    public boolean any() {
        return delays() || udpDropRate > 0 || limitsLines();
    }

    /** Whether replies wait (--delay or --jitter). */
    public boolean delays() {
        return !delay.isZero() || !jitter.isZero();
    }

    /** Whether a TCP connection ends after a number of lines (--close-after or --reset-after). */
    public boolean limitsLines() {
        return lineLimit() != NO_LINE_LIMIT;
    }

    /** The number of lines a TCP connection gets answered before it ends, or {@link #NO_LINE_LIMIT}. */
    public int lineLimit() {
        return closeAfter != NO_LINE_LIMIT ? closeAfter : resetAfter;
    }

    /** Whether the end after {@link #lineLimit()} lines is a reset rather than a FIN. */
    public boolean resets() {
        return resetAfter != NO_LINE_LIMIT;
    }

    /** Only the knobs that concern TCP. */
    public Faults forTcp() {
        return new Faults(delay, jitter, 0, closeAfter, resetAfter, seed);
    }

    /** Only the knobs that concern UDP. */
    public Faults forUdp() {
        return new Faults(delay, jitter, udpDropRate, NO_LINE_LIMIT, NO_LINE_LIMIT, seed);
    }

    /**
     * The random source of one serving thread. With a seed, stream {@code i} draws the same
     * numbers in every run; threads get different streams so that they do not draw in lockstep.
     */
    public Dice dice(int stream) {
        return new Dice(this, seed.isPresent() ? seed.getAsLong() + stream : System.nanoTime() ^ (31L * stream));
    }

    /** The knobs that are on, for the start line: {@code delay 20ms, jitter 5ms, close-after 3}; empty when none. */
    public String describe() {
        List<String> on = new ArrayList<>();
        if (!delay.isZero()) {
            on.add("delay " + Durations.format(delay));
        }
        if (!jitter.isZero()) {
            on.add("jitter " + Durations.format(jitter));
        }
        if (udpDropRate > 0) {
            on.add("udp-drop-rate " + udpDropRate);
        }
        if (closeAfter != NO_LINE_LIMIT) {
            on.add("close-after " + closeAfter);
        }
        if (resetAfter != NO_LINE_LIMIT) {
            on.add("reset-after " + resetAfter);
        }
        if (!on.isEmpty() && seed.isPresent()) {
            on.add("seed " + seed.getAsLong());
        }
        return String.join(", ", on);
    }
}
