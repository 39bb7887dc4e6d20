package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
}
