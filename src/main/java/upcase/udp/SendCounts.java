package upcase.udp;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import upcase.net.RateLimitedLog;

/**
 * Replies sent and refused by one sending thread, whichever engine sends them: each
 * {@link Counter} keeps its single writer, that thread.
 */
final class SendCounts {
    private static final Logger LOG = System.getLogger("upcase.udp");

    private final Counter sent = new Counter();
    private final Counter bytesOut = new Counter();
    private final Counter failures = new Counter();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));

    void sent(int length) {
        sent.increment();
        bytesOut.add(length);
    }

    /** The kernel refused the reply: counted as {@link Drop#SEND_FAILED}, with a rate-limited warning. */
    void failed(InetSocketAddress to, int length, String why) {
        failures.increment();
        failureLog.log(() -> DatagramAnswerer.dropEvent(Drop.SEND_FAILED, to, length, why));
    }

    long sent() {
        return sent.get();
    }

    long bytesOut() {
        return bytesOut.get();
    }

    long failures() {
        return failures.get();
    }
}
