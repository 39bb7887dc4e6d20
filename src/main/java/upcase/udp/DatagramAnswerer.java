package upcase.udp;

import static upcase.net.LogEvent.field;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import upcase.fault.Dice;
import upcase.fault.Faults;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

/**
 * What every engine does with a datagram once it has it, whatever moved its bytes: count it,
 * refuse it (loop guard, rate limit, oversize, a fault knob), or transform it into {@link #out()},
 * or hold the reply back (--delay). One per serving thread, which is the only one to call it;
 * the counters are read from anywhere.
 */
final class DatagramAnswerer {
    private static final Logger LOG = System.getLogger("upcase.udp");
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** {@link #answer}'s result when nothing is to be sent now. */
    static final int NO_REPLY = -1;

    private final UpperCase transform;
    private final int ownPort;
    // Heap arrays, allocated once: the transform works on byte[].
    private final byte[] in = new byte[Datagrams.RECEIVE_CAPACITY];
    private final byte[] out;

    private final Counter received = new Counter();
    private final Counter bytesIn = new Counter();
    /** By {@link Drop#ordinal()}; send failures are counted by the senders instead. */
    private final Counter[] drops = new Counter[Drop.values().length];
    private final Counter delayed = new Counter();
    /** Null when there is no limit, so the common case costs one null check; shared by the serving threads, so locked. */
    private final SourceRateLimit rateLimit;
    /** Null unless a fault knob is on (--delay, --jitter, --udp-drop-rate); then this thread's random source. */
    private final Dice dice;
    /** Null unless replies are delayed: then they go through this, sent by its own thread. */
    private final DelayedReplies delayedReplies;

    private final RateLimitedLog loopGuardLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog oversizedLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog rateLimitLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    /** DEBUG: a drop the operator asked for is no warning. */
    private final RateLimitedLog faultLog = new RateLimitedLog(LOG, Level.DEBUG, LOG_INTERVAL);

    /**
     * @param rateLimit the server's, shared by its threads; null when there is no limit
     * @param delayedReplies started, when the config delays replies; else null
     */
    DatagramAnswerer(UdpServerConfig config, int ownPort, SourceRateLimit rateLimit, DelayedReplies delayedReplies) {
        this.transform = config.transform();
        this.ownPort = ownPort;
        this.rateLimit = rateLimit;
        Faults faults = config.faults();
        // Stream 0 on every thread: a client's datagrams all reach one thread (SO_REUSEPORT
        // hashes the source), so a run with --seed repeats its choices whichever thread it is.
        this.dice = faults.any() ? faults.dice(0) : null;
        this.delayedReplies = delayedReplies;
        // Sized for the largest datagram we can receive, not the largest we may send: an IPv6
        // datagram can carry 65,527 bytes, and a transform can also shrink text (U+0131 to I).
        this.out = new byte[Datagrams.RECEIVE_CAPACITY * transform.maxExpansion()];
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new Counter();
        }
    }

    /** The rate limit a server's threads share, or null for none. */
    static SourceRateLimit rateLimit(UdpServerConfig config) {
        return config.rateLimit() == UdpServerConfig.NO_RATE_LIMIT
                ? null
                : new SourceRateLimit(config.rateLimit(), SourceRateLimit.DEFAULT_MAX_SOURCES);
    }

    /** Where the engine puts a datagram's payload before {@link #answer}: {@link Datagrams#RECEIVE_CAPACITY} bytes. */
    byte[] in() {
        return in;
    }

    /** Where {@link #answer} leaves the reply. */
    byte[] out() {
        return out;
    }

    /**
     * Decides the reply to the {@code length} bytes in {@link #in()} from {@code from}: returns
     * the reply's length in {@link #out()}, to be sent now, or {@link #NO_REPLY} when it is
     * dropped (and counted) or held back by --delay.
     *
     * @param truncated the datagram did not fit the receive buffer
     */
    int answer(InetSocketAddress from, int length, boolean truncated) {
        received.increment();
        bytesIn.add(length);
        int port = from.getPort();
        if (LoopGuard.refuses(port, ownPort)) {
            dropped(Drop.LOOP_GUARD);
            loopGuardLog.log(() -> dropEvent(Drop.LOOP_GUARD, from, length, "a datagram from port " + port
                    + " may come from a server that answers every datagram (loop guard)"));
            return NO_REPLY;
        }
        if (rateLimit != null && !allowed(from)) {
            dropped(Drop.RATE_LIMIT);
            rateLimitLog.log(() -> dropEvent(Drop.RATE_LIMIT, from, length, "over --udp-rate-limit for its address"));
            return NO_REPLY;
        }
        if (truncated) {
            dropped(Drop.OVERSIZE);
            oversizedLog.log(() -> dropEvent(Drop.OVERSIZE, from, length,
                    "datagram larger than " + Datagrams.RECEIVE_CAPACITY + " bytes was cut"));
            return NO_REPLY;
        }
        int replyLength = transform.apply(in, 0, length, out, 0);
        if (replyLength > Datagrams.MAX_PAYLOAD) {
            return oversized(from, length, replyLength);
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            String peer = SocketAddresses.format(from);
            // Through MessageFormat, as the text log has always written this line: 65,507 bytes.
            LogEvent.of(Event.DATAGRAM_ANSWERED, MessageFormat.format("{0}: {1} bytes in, {2} out", peer, length, replyLength),
                    field("protocol", "udp"), field("peer", peer), field("bytes_in", length), field("bytes_out", replyLength))
                    .log(LOG, Level.DEBUG);
        }
        return dice == null ? replyLength : answerWithFaults(from, length, replyLength);
    }

    /**
     * {@link #answer(InetSocketAddress, int, boolean)} for an engine that reads a datagram's
     * source port without decoding its address (the native one, from the kernel's sockaddr):
     * the address is decoded, by {@code source}, only when something needs it (a drop, the rate
     * limit, a fault knob, a DEBUG line), so that an ordinary datagram allocates nothing. The
     * test is one branch per datagram, on fields fixed at start.
     */
    int answer(int port, Supplier<InetSocketAddress> source, int length, boolean truncated) {
        if (truncated || rateLimit != null || dice != null || LoopGuard.refuses(port, ownPort) || LOG.isLoggable(Level.DEBUG)) {
            return answer(source.get(), length, truncated);
        }
        received.increment();
        bytesIn.add(length);
        int replyLength = transform.apply(in, 0, length, out, 0);
        return replyLength > Datagrams.MAX_PAYLOAD ? oversized(source.get(), length, replyLength) : replyLength;
    }

    /** A transform made the reply longer than a datagram holds (U+0131 becomes two bytes, some letters three). */
    private int oversized(InetSocketAddress from, int length, int replyLength) {
        dropped(Drop.OVERSIZE);
        oversizedLog.log(() -> dropEvent(Drop.OVERSIZE, from, length, length + " bytes become "
                + replyLength + "; a UDP datagram holds at most " + Datagrams.MAX_PAYLOAD));
        return NO_REPLY;
    }

    private boolean allowed(InetSocketAddress from) {
        synchronized (rateLimit) {
            return rateLimit.allow(from.getAddress(), System.nanoTime());
        }
    }

    /**
     * The fault knobs, after every other reason not to reply: a random drop (--udp-drop-rate),
     * then a delay (--delay, --jitter). Drops and jitter draw from one seeded source, in the
     * order datagrams arrive, so a run with --seed repeats the same choices.
     */
    private int answerWithFaults(InetSocketAddress from, int length, int replyLength) {
        if (dice.drops()) {
            dropped(Drop.FAULT);
            faultLog.log(() -> dropEvent(Drop.FAULT, from, length, "dropped by --udp-drop-rate"));
            return NO_REPLY;
        }
        if (delayedReplies == null) {
            return replyLength;
        }
        if (delayedReplies.offer(from, out, replyLength, System.nanoTime() + dice.replyDelayNanos())) {
            delayed.increment();
        } else {
            dropped(Drop.FAULT);
            faultLog.log(() -> dropEvent(Drop.FAULT, from, length, DelayedReplies.MAX_HELD_BYTES
                    + " bytes of delayed replies are waiting already (--delay)"));
        }
        return NO_REPLY;
    }

    /** A bug must cost one datagram, not the service: the engine calls this and goes on. */
    void failed(InetSocketAddress from, RuntimeException e) {
        String peer = from == null ? "an unknown source" : SocketAddresses.format(from);
        failureLog.log(() -> LogEvent.of(Event.DATAGRAM_FAILED, "datagram from " + peer + " not answered: " + e,
                field("protocol", "udp"), field("peer", peer), field("detail", e.toString())));
        LogEvent.of(Event.DATAGRAM_FAILED_TRACE, "datagram not answered", field("protocol", "udp"))
                .causedBy(e).log(LOG, Level.DEBUG);
    }

    private void dropped(Drop why) {
        drops[why.ordinal()].increment();
    }

    /** The counters, with those of the senders that sent this thread's replies. */
    UdpStats stats(List<SendCounts> senders) {
        Map<Drop, Long> dropped = new EnumMap<>(Drop.class);
        for (Drop why : Drop.values()) {
            dropped.put(why, drops[why.ordinal()].get());
        }
        long sent = 0;
        long bytesOut = 0;
        long failures = 0;
        for (SendCounts s : senders) {
            sent += s.sent();
            bytesOut += s.bytesOut();
            failures += s.failures();
        }
        dropped.merge(Drop.SEND_FAILED, failures, Long::sum);
        return new UdpStats(received.get(), sent, bytesIn.get(), bytesOut, dropped, delayed.get());
    }

    /** A datagram not answered, for the rate-limited warning: {@code no reply to PEER: why}. */
    static LogEvent dropEvent(Drop drop, InetSocketAddress peer, int length, String why) {
        String address = SocketAddresses.format(peer);
        return LogEvent.of(Event.UDP_DROPPED, "no reply to " + address + ": " + why,
                field("protocol", "udp"), field("peer", address), field("reason", drop.label()),
                field("bytes_in", length), field("detail", why));
    }
}
