package upcase.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static upcase.net.LogEvent.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.support.Eventually;

/**
 * The two log formats, on events that carry what a peer can put into a log line: control
 * characters, quotes, backslashes, newlines, lone surrogates, invalid UTF-8. Every JSON line is
 * read back by a real parser (Jackson) and every value must come back as it went in.
 */
@Isolated // logs through the JVM's upcase.tcp and upcase.udp loggers: no other test class runs meanwhile
class LogFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a peer or an exception message may hold; U+FFFD is what the lone surrogates come back as. */
    private static final String HOSTILE = "quote\" backslash\\ nl\n cr\r tab\t nul\u0000 esc\u001b[2J del\u007f csi\u009b"
            + " ls\u2028 lone\ud800 low\udc00 pair😀 }{\"injected\":1";
    private static final String HOSTILE_BACK = HOSTILE.replace('\ud800', '\ufffd').replace('\udc00', '\ufffd');
    /** Invalid UTF-8 as a peer's bytes, decoded the way a server decodes them (replacement). */
    private static final byte[] PEER_BYTES = {'P', 'R', 'O', 'X', 'Y', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF,
            (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\r', '\n', (byte) 0xF0, (byte) 0x9F};

    private static LogRecord record(Level level, LogEvent event) {
        LogRecord r = new LogRecord(level, "{0}");
        r.setParameters(new Object[] {event});
        r.setLoggerName("upcase.tcp");
        return r;
    }

    private static JsonNode parseLine(String line) throws IOException {
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).as("one line").doesNotContain("\n", "\r");
        return JSON.readTree(line);
    }

    private static LogEvent hostileClose() {
        String peerText = new String(PEER_BYTES, UTF_8);
        return LogEvent.of(Event.CONNECTION_CLOSED, "connection from 127.0.0.1:5: " + HOSTILE,
                field("protocol", "tcp"), field("peer", "[::1]:40000"), field("bytes_in", 12L), field("lines", 2L),
                field("duration_s", Duration.ofMillis(1_500).plusNanos(250_000)), field("reason", "client"),
                field("detail", HOSTILE), field("header", peerText), field("absent", null), field("int", 7),
                field("flag", true), field("ratio", 0.25), field("nan", Double.NaN));
    }

    @Test
    void everyJsonLineParsesAndEveryValueRoundTrips() throws IOException {
        LogRecord r = record(Level.FINE, hostileClose());
        r.setInstant(Instant.parse("2026-12-03T19:04:05.123456Z"));
        JsonNode line = parseLine(new JsonLogFormat(false).format(r));
        List<String> names = iterable(line.fieldNames());
        assertThat(names).containsExactly("ts", "level", "event", "message", "protocol", "peer", "bytes_in", "lines",
                "duration_s", "reason", "detail", "header", "absent", "int", "flag", "ratio", "nan");
        assertThat(line.get("ts").asText()).isEqualTo("2026-12-03T19:04:05.123Z");
        assertThat(line.get("level").asText()).isEqualTo("debug");
        assertThat(line.get("event").asText()).isEqualTo("connection_closed");
        assertThat(line.get("message").asText()).isEqualTo("connection from 127.0.0.1:5: " + HOSTILE_BACK);
        assertThat(line.get("detail").asText()).isEqualTo(HOSTILE_BACK);
        assertThat(line.get("header").asText()).isEqualTo(new String(PEER_BYTES, UTF_8))
                .startsWith("PROXY \ufffd(\ufffd").contains("\r\n").endsWith("\ufffd");
        assertThat(line.get("bytes_in").isIntegralNumber()).isTrue();
        assertThat(line.get("bytes_in").asLong()).isEqualTo(12);
        assertThat(line.get("duration_s").isNumber()).isTrue();
        assertThat(line.get("duration_s").decimalValue()).isEqualByComparingTo("1.50025");
        assertThat(line.get("absent").isNull()).isTrue();
        assertThat(line.get("int").asInt()).isEqualTo(7);
        assertThat(line.get("flag").asBoolean()).isTrue();
        assertThat(line.get("ratio").asDouble()).isEqualTo(0.25);
        assertThat(line.get("nan").isNull()).isTrue();
        assertThat(line.has("injected")).isFalse();
    }

    @Test
    void aCauseBecomesErrorAndWithVerboseAStackTrace() throws IOException {
        LogEvent event = LogEvent.of(Event.CONNECTION_FAILED, "connection from 127.0.0.1:5 failed", field("peer", "127.0.0.1:5"))
                .causedBy(new IllegalStateException(HOSTILE));
        JsonNode quiet = parseLine(new JsonLogFormat(false).format(record(Level.WARNING, event)));
        assertThat(quiet.get("level").asText()).isEqualTo("warning");
        assertThat(quiet.get("error").asText()).isEqualTo("java.lang.IllegalStateException: " + HOSTILE_BACK);
        assertThat(quiet.has("stack_trace")).isFalse();
        JsonNode verbose = parseLine(new JsonLogFormat(true).format(record(Level.SEVERE, event)));
        assertThat(verbose.get("level").asText()).isEqualTo("error");
        assertThat(verbose.get("stack_trace").asText()).startsWith("java.lang.IllegalStateException: ")
                .contains("at upcase.cli.LogFormatsTest");
    }

    @Test
    void aRecordThatIsNoEventIsALogEventWithItsLogger() throws IOException {
        LogRecord r = new LogRecord(Level.INFO, "a library says {0}");
        r.setParameters(new Object[] {HOSTILE});
        r.setLoggerName("com.example\n");
        JsonNode line = parseLine(new JsonLogFormat(false).format(r));
        assertThat(line.get("event").asText()).isEqualTo("log");
        assertThat(line.get("level").asText()).isEqualTo("info");
        assertThat(line.get("message").asText()).isEqualTo("a library says " + HOSTILE_BACK);
        assertThat(line.get("logger").asText()).isEqualTo("com.example\n");
    }

    @Test
    void textIsTheMessageAsBeforeAndLeavesOutEventsNewWithJson() {
        TextLogFormat quiet = new TextLogFormat(false);
        LogEvent closed = LogEvent.of(Event.CONNECTION_CLOSED, "connection from 127.0.0.1:5: 6 bytes in, 6 out, closed by client",
                field("bytes_in", 6L));
        assertThat(quiet.format(record(Level.FINE, closed)))
                .isEqualTo("upcase: connection from 127.0.0.1:5: 6 bytes in, 6 out, closed by client" + System.lineSeparator());
        LogEvent failed = LogEvent.of(Event.SERVER_BROKE, "udp socket closed under the server").causedBy(new IOException("boom"));
        assertThat(quiet.format(record(Level.SEVERE, failed)))
                .isEqualTo("upcase: udp socket closed under the server: java.io.IOException: boom" + System.lineSeparator());
        assertThat(new TextLogFormat(true).format(record(Level.SEVERE, failed)))
                .startsWith("upcase: udp socket closed under the server" + System.lineSeparator() + "java.io.IOException: boom");
        assertThat(quiet.format(record(Level.FINE, LogEvent.of(Event.CONNECTION_OPENED, "connection from 127.0.0.1:5 opened"))))
                .isEmpty();
    }

    /** LogSetup configures the process-wide logger: give later tests in this JVM the JDK's default back. */
    @AfterEach
    void resetLogging() throws IOException {
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void throughSystemLoggerTheEventReachesTheFormatterWithItsFields() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LogSetup.ServerLog own = LogSetup.configure(new PrintStream(err, true, UTF_8), true, LogFormat.JSON);
        Logger logger = System.getLogger("upcase.tcp");
        hostileClose().log(logger, Logger.Level.DEBUG);
        RateLimitedLog limited = new RateLimitedLog(logger, Logger.Level.WARNING, Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            limited.log(() -> LogEvent.of(Event.ACCEPT_FAILED, "accept failed: " + HOSTILE, field("detail", HOSTILE)));
        }
        own.log(Level.INFO, LogEvent.of(Event.LISTENING, "tcp listening on 127.0.0.1:1", field("local", "127.0.0.1:1")));
        String[] lines = err.toString(UTF_8).split("(?<=\n)");
        assertThat(lines).hasSize(3);
        JsonNode closed = parseLine(lines[0]);
        assertThat(closed.get("event").asText()).isEqualTo("connection_closed");
        assertThat(closed.get("detail").asText()).isEqualTo(HOSTILE_BACK);
        JsonNode accept = parseLine(lines[1]);
        assertThat(accept.get("event").asText()).isEqualTo("accept_failed");
        assertThat(accept.has("suppressed")).as("the first of a burst").isFalse();
        assertThat(parseLine(lines[2]).get("event").asText()).isEqualTo("listening");
        Instant ts = Instant.parse(closed.get("ts").asText());
        assertThat(ts).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void aRateLimitedWarningSaysHowManyItLeftOutInTextAndInAField() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LogSetup.configure(new PrintStream(err, true, UTF_8), false, LogFormat.JSON);
        RateLimitedLog limited = new RateLimitedLog(System.getLogger("upcase.udp"), Logger.Level.WARNING, Duration.ofMillis(50));
        java.util.function.Supplier<LogEvent> drop = () -> LogEvent.of(Event.UDP_DROPPED, "no reply to 127.0.0.1:7: loop guard",
                field("reason", "loop_guard"));
        limited.log(drop);
        limited.log(drop);
        limited.log(drop);
        Eventually.await("a line after the interval", Duration.ofSeconds(10), () -> {
            limited.log(drop);
            return err.toString(UTF_8).lines().count() >= 2;
        });
        List<String> lines = err.toString(UTF_8).lines().toList();
        assertThat(parseLine(lines.get(0) + "\n").has("suppressed")).isFalse();
        JsonNode second = parseLine(lines.get(1) + "\n");
        long suppressed = second.get("suppressed").asLong();
        assertThat(suppressed).isGreaterThanOrEqualTo(2);
        assertThat(second.get("message").asText()).isEqualTo("no reply to 127.0.0.1:7: loop guard (and " + suppressed + " more like it)");
        assertThat(second.get("reason").asText()).isEqualTo("loop_guard");
    }

    @Test
    void aFieldCannotTakeTheNameOfALineMember() {
        assertThatThrownBy(() -> field("message", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> field("ts", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> all = new java.util.ArrayList<>();
        names.forEachRemaining(all::add);
        return all;
    }
}
