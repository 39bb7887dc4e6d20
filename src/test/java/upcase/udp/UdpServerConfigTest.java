package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.text.UpperCase;

@Timeout(5)
class UdpServerConfigTest {

    @Test
    void theDefaultPortIsTheTextbookJavaServers() {
        assertThat(UdpServerConfig.DEFAULT_PORT).isEqualTo(9876);
    }

    @Test
    void aWildcardAddressWithPortZeroIsValid() throws UnknownHostException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("::"), 0);

        assertThat(new UdpServerConfig(any, UpperCase.ascii()).bind()).isEqualTo(any);
    }

    @Test
    void refusesMissingOrUnresolvedParts() throws UnknownHostException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("::"), 0);

        assertThatThrownBy(() -> new UdpServerConfig(null, UpperCase.unicode()))
                .isInstanceOf(NullPointerException.class).hasMessage("bind");
        assertThatThrownBy(() -> new UdpServerConfig(any, null))
                .isInstanceOf(NullPointerException.class).hasMessage("transform");
        assertThatThrownBy(() -> new UdpServerConfig(InetSocketAddress.createUnresolved("example.invalid", 9876), UpperCase.unicode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example.invalid");
    }

    /** --udp-spin: 20 microseconds by default, zero turns it off, beyond a millisecond it would be a delay. */
    @Test
    void theSpinIsBounded() throws UnknownHostException {
        UdpServerConfig config = new UdpServerConfig(new InetSocketAddress(InetAddress.getByName("::"), 0), UpperCase.unicode());

        assertThat(config.spin()).isEqualTo(Duration.ofNanos(20_000));
        assertThat(config.withSpin(Duration.ZERO).spin()).isZero();
        assertThat(config.withSpin(UdpServerConfig.MAX_SPIN).spin()).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> config.withSpin(Duration.ofNanos(1_000_001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the spin must be from 0 to 1ms, not 1000us");
        assertThatThrownBy(() -> config.withSpin(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 1ms");
    }
}
