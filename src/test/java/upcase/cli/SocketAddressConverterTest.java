package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** --metrics ADDR:PORT. */
class SocketAddressConverterTest {
    private final SocketAddressConverter converter = new SocketAddressConverter();

    @Test
    void ipv4Ipv6AndNames() throws Exception {
        assertThat(converter.convert("127.0.0.1:9900")).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 9900));
        assertThat(converter.convert("[::1]:0")).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0));
        assertThat(converter.convert("[::]:9900").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(converter.convert("localhost:9900").getAddress().isLoopbackAddress()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9900", ":9900", "::1:9900", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:x", "[::1]", "not an address:1"})
    void rejected(String value) {
        assertThatThrownBy(() -> converter.convert(value)).isInstanceOf(TypeConversionException.class);
    }
}
