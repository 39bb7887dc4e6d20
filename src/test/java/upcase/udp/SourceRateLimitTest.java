package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.Eventually;
import upcase.text.UpperCase;

/** --udp-rate-limit (PROTOCOL.md §UDP rate limit): a token bucket per source address, a bounded table. */
@Timeout(20)
class SourceRateLimitTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final InetAddress a = InetAddress.ofLiteral("192.0.2.1");
    private final InetAddress b = InetAddress.ofLiteral("192.0.2.2");

    @Test
    void aBurstOfOneSecondThenTheRate() {
        SourceRateLimit limit = new SourceRateLimit(5, 100);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += limit.allow(a, 0) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(limit.allow(a, SECOND / 10)).as("half a token after 100 ms").isFalse();
        assertThat(limit.allow(a, SECOND / 5)).as("one token after 200 ms").isTrue();
        assertThat(limit.allow(a, SECOND / 5)).isFalse();
    }

    @Test
    void theBucketNeverHoldsMoreThanOneSecond() {
        SourceRateLimit limit = new SourceRateLimit(3, 100);
        limit.allow(a, 0);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += limit.allow(a, 60 * SECOND) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void sourcesAreLimitedApart() {
        SourceRateLimit limit = new SourceRateLimit(1, 100);
        assertThat(limit.allow(a, 0)).isTrue();
        assertThat(limit.allow(a, 0)).isFalse();
        assertThat(limit.allow(b, 0)).as("another source is not affected").isTrue();
    }

    @Test
    void theTableIsBoundedAndForgetsTheLeastRecentlySeen() {
        SourceRateLimit limit = new SourceRateLimit(1, 2);
        limit.allow(a, 0);
        limit.allow(b, 0);
        limit.allow(InetAddress.ofLiteral("192.0.2.3"), 0);
        assertThat(limit.sources()).isEqualTo(2);
        assertThat(limit.allow(a, 0)).as("a was forgotten, so it starts with a full bucket").isTrue();
    }

    @Test
    void overTheWireOneSourceIsCutWhileAnotherIsServed() throws IOException {
        InetSocketAddress bind = new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 0);
        try (UdpServer server = UdpServer.start(new UdpServerConfig(bind, UpperCase.unicode(), 5));
                Peer flooder = Peer.bind("127.0.0.1");
                Peer other = Peer.bind("127.0.0.2")) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), server.localAddress().getPort());
            for (int i = 0; i < 50; i++) {
                flooder.send("flood " + i, target);
            }
            Eventually.await("50 datagrams received", Duration.ofSeconds(10), () -> server.stats().received() == 50);
            UdpStats stats = server.stats();
            assertThat(stats.repliesSent()).as("one second's burst, plus what refilled meanwhile").isBetween(5L, 10L);
            assertThat(stats.dropped(Drop.RATE_LIMIT)).isEqualTo(50 - stats.repliesSent());
            assertThat(other.ask("other source", target)).isEqualTo("OTHER SOURCE");
        }
    }
}
