package upcase.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import upcase.probe.Check;
import upcase.probe.Checks;

class PointsTest {
    private static Check check(String id) {
        return Checks.all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void byDefaultTheTextbookLevelCarriesMostOfTheGrade() {
        Points points = Points.defaults();
        assertThat(points.of(check("udp.textbook.datagram"))).isEqualTo(BigDecimal.TEN);
        assertThat(points.of(check("udp.full.size-0"))).isEqualTo(BigDecimal.ONE);
        BigDecimal textbook = Checks.all().stream().filter(c -> c.id().contains(".textbook.")).map(points::of)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal all = Checks.all().stream().map(points::of).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(textbook.multiply(BigDecimal.TWO)).isGreaterThan(all);
    }

    @Test
    void rulesWithWildcardsTheLastOneWinning() {
        Points points = Points.parse("""
                # an assignment on UDP only
                *.full.* = 0          # the rest of PROTOCOL.md is not asked for
                udp.full.size-* = 2.5
                udp.full.size-65507 = 0
                tcp.textbook.line=20
                """, "points.txt");
        assertThat(points.of(check("tcp.full.crlf"))).isEqualByComparingTo("0");
        assertThat(points.of(check("udp.full.size-1500"))).isEqualByComparingTo("2.5");
        assertThat(points.of(check("udp.full.size-65507"))).isEqualByComparingTo("0");
        assertThat(points.of(check("tcp.textbook.line"))).isEqualByComparingTo("20");
        assertThat(points.of(check("tcp.textbook.punctuation"))).isEqualByComparingTo("10");
        assertThat(Points.show(new BigDecimal("2.50"))).isEqualTo("2.5");
        assertThat(Points.show(new BigDecimal("0.0"))).isEqualTo("0");
    }

    @Test
    void aTypoOrAMalformedLineIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> Points.parse("tcp.textbook.line = 5\ntcp.ful.crlf = 1\n", "p.txt"))
                .hasMessage("p.txt line 2: 'tcp.ful.crlf' matches no check (see docs/PROBE.md for the ids)");
        assertThatThrownBy(() -> Points.parse("tcp.textbook.line: 5", "p.txt"))
                .hasMessage("p.txt line 1: 'tcp.textbook.line: 5' is not CHECK-ID = POINTS (like tcp.textbook.line = 10)");
        assertThatThrownBy(() -> Points.parse("tcp.textbook.line = -5", "p.txt")).hasMessageStartingWith("p.txt line 1:");
    }
}
