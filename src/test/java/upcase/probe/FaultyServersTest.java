package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.probe.Probing.FAULTY_TIMEOUT;
import static upcase.probe.Probing.diagnosis;
import static upcase.probe.Probing.failed;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The probe against servers with one textbook defect each (FaultyServers): it fails the checks
 * that defect breaks, and only those, and names the fault.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Isolated // sets the JVM's default locale (Turkish): no other test class runs meanwhile
class FaultyServersTest {

    @Test
    void aUdpServerThatSendsItsWholeBufferIsCaughtPadding() throws Exception {
        try (FaultyServers.Running server = FaultyServers.udpPadder()) {
            Report report = Probing.udp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            // The textbook's own Java UDPServer: it fails even the textbook level.
            assertThat(failed(report)).contains("udp.textbook.datagram", "udp.textbook.punctuation");
            assertThat(diagnosis(report, "udp.textbook.datagram")).isEqualTo("the reply is padded with 1,013 NUL bytes:"
                    + " the server sends its whole receive buffer (1,024 bytes) instead of the received length");
            assertThat(Probing.result(report, "udp.textbook.datagram").evidence().got()).hasSize(1024);
            assertThat(diagnosis(report, "udp.full.no-padding")).contains("the rest of the previous, longer datagram",
                    "reuses its receive buffer");
            assertThat(diagnosis(report, "udp.full.size-1500")).startsWith("only the first 1,024 of 1,500 bytes came back")
                    .contains("1,024-byte buffer");
            assertThat(diagnosis(report, "udp.full.size-65507")).startsWith("only the first 1,024 of 65,507 bytes");
            // Only the checks where the reply's length happens to be the buffer's pass nothing: every check fails.
            assertThat(report.count(Verdict.PASS)).isZero();
        }
    }

    @Test
    void aUdpServerThatAnswersFromAnotherPortFailsOnlyTheRightSenderCheck() throws Exception {
        try (FaultyServers.Running server = FaultyServers.udpRepliesFromAnotherSocket()) {
            Report report = Probing.udp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            // The textbook's clients accept such replies; a client that connects its socket does not.
            assertThat(failed(report)).containsExactly("udp.full.right-sender");
            assertThat(diagnosis(report, "udp.full.right-sender")).matches("the reply came from 127\\.0\\.0\\.1:\\d+, not"
                    + " from 127\\.0\\.0\\.1:" + server.port() + " where the datagram went: the server answers from"
                    + " another socket or address, .*");
        }
    }

    @Test
    void aTcpServerThatReadsOnce1024BytesIsCaughtCuttingLongLinesAndSplitOnes() throws Exception {
        try (FaultyServers.Running server = FaultyServers.tcpReadsOnce1024()) {
            Report report = Probing.tcp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            assertThat(failed(report)).containsExactly(
                    "tcp.full.several-lines", "tcp.full.split-writes", "tcp.full.line-3000", "tcp.full.line-100000");
            assertThat(diagnosis(report, "tcp.full.line-3000")).startsWith("only the first 1,024 of 3,000 bytes came back")
                    .contains("reads once into a 1,024-byte buffer");
            assertThat(diagnosis(report, "tcp.full.line-100000")).startsWith("only the first 1,024 of 100,000 bytes");
            assertThat(diagnosis(report, "tcp.full.several-lines")).isEqualTo("only the first of 2 lines was answered,"
                    + " then the connection was closed: the server answers one line, or one read, per connection");
            // Which pieces one read gets depends on the scheduler; that it answers one read does not.
            assertThat(diagnosis(report, "tcp.full.split-writes")).matches("only the first( \\d)? of 5 writes came back .*")
                    .endsWith("the server answers a single read (one recv) instead of reading until the line is complete");
        }
    }

    @Test
    void aTcpServerThatAnswersOneLinePerConnectionAndNeverClosesIsCaught() throws Exception {
        try (FaultyServers.Running server = FaultyServers.tcpOneLineNeverCloses()) {
            Report report = Probing.tcp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            // It reads through a Reader, as the textbook's server does: invalid bytes are lost too.
            assertThat(failed(report)).containsExactly("tcp.full.several-lines", "tcp.full.pipelining",
                    "tcp.full.no-line-end", "tcp.full.crlf", "tcp.full.half-close", "tcp.full.invalid-bytes");
            assertThat(diagnosis(report, "tcp.full.several-lines")).isEqualTo("only the first of 2 lines was answered,"
                    + " then nothing for 1s: the server answers one line per connection (a single readLine() per"
                    + " accepted connection), or loses what it read ahead");
            assertThat(diagnosis(report, "tcp.full.pipelining")).startsWith("only the first of 3 lines was answered");
            assertThat(diagnosis(report, "tcp.full.no-line-end")).isEqualTo("no reply within 1s: the server waits for"
                    + " a line end (LF) before it answers; it answered once an LF followed");
            assertThat(diagnosis(report, "tcp.full.crlf")).startsWith("the CR of the CRLF was dropped");
            assertThat(diagnosis(report, "tcp.full.half-close")).startsWith("the reply came, but the connection stayed"
                    + " open for 1s after the client's half-close");
            assertThat(diagnosis(report, "tcp.full.invalid-bytes")).startsWith("bytes that are not UTF-8 came back as U+FFFD");
        }
    }

    @Test
    void aTcpServerThatServesOneClientAtATimeIsCaught() throws Exception {
        try (FaultyServers.Running server = FaultyServers.tcpOneClientAtATime()) {
            Report report = Probing.tcp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            assertThat(failed(report)).containsExactly("tcp.full.second-client");
            assertThat(diagnosis(report, "tcp.full.second-client")).isEqualTo("no reply within 1s: the server serves"
                    + " one client at a time, and the first one, connected and idle, holds it; the second was answered"
                    + " only once the first had sent its line and finished");
        }
    }

    @Test
    void aServerThatUppercasesInItsDefaultTurkishLocaleIsCaught() throws Exception {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try (FaultyServers.Running server = FaultyServers.udpDefaultLocale()) {
            Report report = Probing.udp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            // Decoding to a String also loses the invalid bytes: a second, true fault of that server.
            assertThat(failed(report)).containsExactly("udp.full.locale", "udp.full.invalid-bytes");
            assertThat(diagnosis(report, "udp.full.locale")).isEqualTo("'i' came back as 'İ' (U+0130, capital I with"
                    + " a dot): the server uppercases in its default locale, which is Turkish here"
                    + " (String.toUpperCase() without Locale.ROOT)");
            assertThat(diagnosis(report, "udp.full.invalid-bytes")).startsWith("bytes that are not UTF-8 came back as U+FFFD");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void aServerThatReplacesInvalidBytesIsCaught() throws Exception {
        try (FaultyServers.Running server = FaultyServers.tcpReplacesInvalidBytes()) {
            Report report = Probing.tcp(server.port(), Level.FULL, FAULTY_TIMEOUT);

            assertThat(failed(report)).containsExactly("tcp.full.invalid-bytes");
            assertThat(diagnosis(report, "tcp.full.invalid-bytes")).isEqualTo("bytes that are not UTF-8 came back as"
                    + " U+FFFD (EF BF BD), the replacement character: the server decodes the request as text, replacing"
                    + " what does not decode; PROTOCOL.md wants such bytes passed unchanged");
        }
    }
}
