package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {
    @ParameterizedTest
    @CsvSource({
        "localhost:6789,   localhost, 6789, localhost:6789",
        "127.0.0.1:1,      127.0.0.1, 1,    127.0.0.1:1",
        "[::1]:6789,       ::1,       6789, [::1]:6789",
        "[fe80::1]:65535,  fe80::1,   65535, [fe80::1]:65535",
        "' example.org:12000 ', example.org, 12000, example.org:12000",
    })
    void parses(String text, String host, int port, String shown) {
        Endpoint e = Endpoint.parse(text);
        assertThat(e.host()).isEqualTo(host);
        assertThat(e.port()).isEqualTo(port);
        assertThat(e).hasToString(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost        | no port",
        "::1:6789         | write an IPv6 address in brackets, like [::1]:6789",
        "[::zz]:6789      | '::zz' is not an IPv6 address",
        "[127.0.0.1]:6789 | '127.0.0.1' is not an IPv6 address",
        "999.1.2.3:6789   | '999.1.2.3' is not a host name or address",
        "bad_host:6789    | 'bad_host' is not a host name or address",
        ":6789            | '' is not a host name or address",
        "localhost:0      | '0' is not a port (1-65535)",
        "localhost:65536  | '65536' is not a port (1-65535)",
        "localhost:http   | 'http' is not a port (1-65535)",
    })
    void refusesWhatIsNotHostColonPort(String text, String why) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not HOST:PORT: " + why);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:6789", "[::1]:9876"})
    void resolvesLiteralsToThemselves(String text) throws Exception {
        InetSocketAddress address = Endpoint.parse(text).resolve();
        assertThat(address.getAddress()).isEqualTo(InetAddress.ofLiteral(Endpoint.parse(text).host()));
        assertThat(Endpoint.show(address)).isEqualTo(text.replace("::1", "0:0:0:0:0:0:0:1"));
    }
}
