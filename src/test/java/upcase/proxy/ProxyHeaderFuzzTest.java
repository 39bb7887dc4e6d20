package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static upcase.proxy.Headers.ascii;
import static upcase.proxy.Headers.concat;
import static upcase.proxy.Headers.hex;

import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated headers, seeded so a failure repeats: fed whole and one byte more at a time,
 * the parser answers with its own results only (any exception, such as reading past the limit,
 * fails), a valid header always parses back to what was written, and once an answer other than
 * "need more" is given, more bytes never change it.
 */
class ProxyHeaderFuzzTest {
    private static final long SEED = 0x5EED_11L;
    private static final int ROUNDS = 30_000;

    @Test
    void validHeadersParseBackToWhatWasWritten() throws UnknownHostException {
        Random random = new Random(SEED);
        for (int round = 0; round < ROUNDS / 3; round++) {
            MutatedHeaders.Generated g = MutatedHeaders.generate(random);
            byte[] data = new byte[random.nextInt(20)];
            random.nextBytes(data);
            byte[] in = concat(g.bytes(), data);
            ProxyParse result = feed(in);
            assertThat(result).as(hex(in)).isEqualTo(new ProxyParse.Parsed(g.header(), g.bytes().length));
        }
    }

    @Test
    void mutatedAndRandomHeadersGetOnlyTheParsersOwnAnswers() throws UnknownHostException {
        Random random = new Random(SEED + 1);
        int[] seen = new int[4];
        for (int round = 0; round < ROUNDS; round++) {
            byte[] in = MutatedHeaders.next(random);
            ProxyParse result = feed(in);
            switch (result) {
                case ProxyParse.NeedMore n -> seen[0]++;
                case ProxyParse.Absent a -> seen[1]++;
                case ProxyParse.Parsed p -> {
                    seen[2]++;
                    assertThat(p.consumed()).isBetween(1, Math.min(in.length, ProxyHeaderParser.MAX_V2_HEADER));
                }
                case ProxyParse.Malformed m -> {
                    seen[3]++;
                    assertThat(m.reason()).isNotBlank().doesNotContain("\n").hasSizeLessThan(200);
                }
            }
        }
        // The mutations reach every kind of answer, or the fuzzer tests less than it claims.
        assertThat(Arrays.stream(seen).min().orElseThrow()).as("answers of each kind %s", Arrays.toString(seen))
                .isGreaterThan(ROUNDS / 100);
    }

    /**
     * Parses every prefix of {@code in} (as an event loop would see bytes trickle in), each from a
     * buffer with other bytes around it, and returns the answer for the whole.
     */
    private static ProxyParse feed(byte[] in) {
        ProxyParse settled = null;
        ProxyParse last = null;
        byte[] padded = concat(ascii("junk"), in, ascii("\r\nPROXY after the limit\r\n"));
        for (int n = 0; n <= in.length; n++) {
            ByteBuffer window = ByteBuffer.wrap(padded, 4, n);
            try {
                last = ProxyHeaderParser.parse(window);
            } catch (RuntimeException e) {
                fail("threw on " + hex(Arrays.copyOf(in, n)), e);
            }
            assertThat(last).isNotNull();
            assertThat(window.position()).isEqualTo(4);
            assertThat(window.limit()).isEqualTo(4 + n);
            if (settled == null && !last.equals(ProxyParse.NEED_MORE)) {
                settled = last;
            } else if (settled != null) {
                assertThat(last).as("%s: once answered, more bytes changed the answer", hex(in)).isEqualTo(settled);
            }
        }
        return last;
    }
}
