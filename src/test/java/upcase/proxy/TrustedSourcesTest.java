package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/PROTOCOL.md §PROXY protocol, trusted sources: {@code --proxy-trusted CIDR[,CIDR...]}. */
class TrustedSourcesTest {

    @Test
    void ipv4Blocks() {
        TrustedSources trusted = TrustedSources.parse("10.0.0.0/8,192.168.1.0/25,127.0.0.1");
        assertThat(trusted.contains(ip("10.255.1.2"))).isTrue();
        assertThat(trusted.contains(ip("11.0.0.1"))).isFalse();
        assertThat(trusted.contains(ip("192.168.1.127"))).isTrue();
        assertThat(trusted.contains(ip("192.168.1.128"))).isFalse();
        assertThat(trusted.contains(ip("127.0.0.1"))).isTrue();
        assertThat(trusted.contains(ip("127.0.0.2"))).isFalse();
        assertThat(trusted.contains(ip("::1"))).isFalse();
    }

    @Test
    void ipv6Blocks() {
        TrustedSources trusted = TrustedSources.parse("2001:db8::/32, ::1 ,fc00::/7");
        assertThat(trusted.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(trusted.contains(ip("2001:db9::1"))).isFalse();
        assertThat(trusted.contains(ip("::1"))).isTrue();
        assertThat(trusted.contains(ip("fdff::1"))).isTrue();
        assertThat(trusted.contains(ip("fe00::1"))).isFalse();
        assertThat(trusted.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void ipv4MappedAddressesMatchAsIpv4() throws Exception {
        TrustedSources trusted = TrustedSources.parse("10.0.0.0/8");
        // As a dual-stack socket might report an IPv4 balancer; getByAddress would unmap it itself.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
        assertThat(trusted.contains(java.net.Inet6Address.getByAddress(null, mapped, -1))).isTrue();
        assertThat(trusted.contains(ip("::ffff:10.9.9.9"))).isTrue();
        assertThat(trusted.contains(ip("::ffff:11.9.9.9"))).isFalse();
        // A mapped block is its IPv4 block.
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(TrustedSources.parse("::ffff:10.0.0.0/104").contains(ip("10.3.3.3"))).isTrue();
    }

    @Test
    void zeroPrefixTrustsEveryAddressOfItsFamily() {
        assertThat(TrustedSources.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(TrustedSources.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(TrustedSources.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void printsAsWritten() {
        assertThat(TrustedSources.parse("10.0.0.0/8,2001:db8:0:0::/64,127.0.0.1")).hasToString("10.0.0.0/8,2001:db8::/64,127.0.0.1/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/8,", ",10.0.0.0/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/08",
        "::/129", "localhost", "10.0.0", "010.0.0.0/8", "10.0.0.0/8/8", "fe80::1%eth0", "[::1]", "::ffff:10.0.0.0/95",
        "10.0.0.1/8", "2001:db8::1/32"})
    void rejectsWithOneLineNamingTheEntry(String list) {
        assertThatThrownBy(() -> TrustedSources.parse(list)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").isNotBlank());
    }

    @Test
    void hostBitsGetASuggestion() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
                .hasMessage("'10.1.2.3/8' has host bits set after its prefix: did you mean 10.0.0.0/8?");
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
