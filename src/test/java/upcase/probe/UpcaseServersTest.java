package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.probe.Probing.diagnosis;
import static upcase.probe.Probing.failed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/** upcase's own servers pass; in --ascii mode they fail exactly the UTF-8 checks, for the right reason. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpcaseServersTest {
    private TcpServer tcp;
    private UdpServer udp;

    private void start(UpperCase transform) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        tcp = TcpServer.start(TcpServerConfig.defaults(any).withTransform(transform));
        udp = UdpServer.start(new UdpServerConfig(any, transform));
    }

    @AfterEach
    void stop() {
        if (tcp != null) {
            tcp.close();
        }
        if (udp != null) {
            udp.close();
        }
    }

    private Report probe(Level level) throws Exception {
        return Probing.run(new Endpoint("127.0.0.1", tcp.localAddress().getPort()),
                new Endpoint("127.0.0.1", udp.localAddress().getPort()), level, Probing.TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void everyCheckPassesAgainstUpcase(Level level) throws Exception {
        start(UpperCase.unicode());

        Report report = probe(level);

        assertThat(failed(report)).isEmpty();
        assertThat(report.outcomes()).hasSize(Checks.at(level).size()).allSatisfy(o -> assertThat(o.result().verdict()).isEqualTo(Verdict.PASS));
        assertThat(report.allPassed()).isTrue();
    }

    @Test
    void asciiModePassesTheTextbookLevel() throws Exception {
        start(UpperCase.ascii());

        assertThat(failed(probe(Level.TEXTBOOK))).isEmpty();
    }

    @Test
    void asciiModeFailsExactlyTheUtf8ChecksAtTheFullLevelBecauseItUppercasesOnlyAscii() throws Exception {
        start(UpperCase.ascii());

        Report report = probe(Level.FULL);

        assertThat(failed(report)).containsExactly(
                "tcp.full.utf8-multibyte", "tcp.full.utf8-expanding", "udp.full.utf8-multibyte", "udp.full.utf8-expanding");
        for (String id : failed(report)) {
            assertThat(diagnosis(report, id)).startsWith("only the ASCII letters a-z were uppercased");
        }
    }

    @Test
    void oneTransportAloneLeavesTheOtherNotApplicable() throws Exception {
        start(UpperCase.unicode());

        Report report = Probing.udp(udp.localAddress().getPort(), Level.FULL, Probing.TIMEOUT);

        assertThat(Probing.ids(report, Verdict.NOT_APPLICABLE)).hasSize((int) Checks.at(Level.FULL).stream()
                .filter(c -> c.transport() == Transport.TCP).count()).allMatch(id -> id.startsWith("tcp."));
        assertThat(diagnosis(report, "tcp.textbook.line")).isEqualTo("not run: no --tcp HOST:PORT given");
        assertThat(report.allPassed()).isTrue();
        assertThat(report.summary()).isEqualTo("13 passed, 0 failed");
    }
}
