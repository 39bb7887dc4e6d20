package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.text.UpperCase;

class PayloadTest {
    private static final long[] SEQS = {0, 1, 35, 36, 1_295, 1L << 32, (7L << 32) | 12_345, Long.MAX_VALUE >>> 1};

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2, 5, 12, 13, 14, 64, 1000, 70_000})
    void theExpectedReplyIsTheTransformOfTheLine(int size) {
        for (UpperCase transform : new UpperCase[] {UpperCase.unicode(), UpperCase.ascii()}) {
            for (boolean utf8 : new boolean[] {false, true}) {
                Payload p = Payload.lines(size, utf8, transform);
                for (long seq : SEQS) {
                    byte[] line = p.message(seq);
                    assertThat(line).hasSize(size).endsWith((byte) '\n');
                    assertThat(p.expected(seq)).isEqualTo(transform.apply(line));
                }
            }
        }
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {12, 13, 100, 1472, 65_507})
    void theExpectedReplyIsTheTransformOfTheDatagram(int size) {
        for (UpperCase transform : new UpperCase[] {UpperCase.unicode(), UpperCase.ascii()}) {
            for (boolean utf8 : new boolean[] {false, true}) {
                Payload p = Payload.datagrams(size, utf8, transform);
                for (long seq : SEQS) {
                    byte[] datagram = p.message(seq);
                    assertThat(datagram).hasSize(size).doesNotContain((byte) '\n');
                    assertThat(p.expected(seq)).isEqualTo(transform.apply(datagram));
                }
            }
        }
    }

    @Test
    void asciiTextIsLowercaseLettersAndDigitsAndVariesFromLineToLine() {
        Payload p = Payload.lines(64, false, UpperCase.unicode());
        Set<String> seen = new HashSet<>();
        for (long seq = 0; seq < 500; seq++) {
            String line = new String(p.message(seq), StandardCharsets.US_ASCII);
            assertThat(line).matches("[a-z0-9]{63}\n");
            assertThat(seen.add(line)).isTrue();
        }
        assertThat(new String(p.message(36 * 36 + 5), StandardCharsets.US_ASCII)).startsWith("000000000105");
    }

    @Test
    void withUtf8TheTwoTransformsExpectDifferentReplies() {
        Payload unicode = Payload.lines(100, true, UpperCase.unicode());
        Payload ascii = Payload.lines(100, true, UpperCase.ascii());
        assertThat(unicode.message(7)).isEqualTo(ascii.message(7));
        assertThat(new String(unicode.expected(7), StandardCharsets.UTF_8)).contains("É").doesNotContain("é");
        assertThat(new String(ascii.expected(7), StandardCharsets.UTF_8)).contains("é").doesNotContain("É");
        // ASCII text alone cannot tell the two apart: both expect the same bytes.
        assertThat(Payload.lines(100, false, UpperCase.unicode()).expected(7))
                .isEqualTo(Payload.lines(100, false, UpperCase.ascii()).expected(7));
    }

    @Test
    void fillingInPiecesGivesTheWholeMessage() {
        Random random = new Random(42);
        for (boolean utf8 : new boolean[] {false, true}) {
            Payload p = Payload.lines(300, utf8, UpperCase.unicode());
            for (long seq : SEQS) {
                ByteBuffer out = ByteBuffer.allocate(300);
                int from = 0;
                while (from < 300) {
                    ByteBuffer piece = ByteBuffer.allocate(1 + random.nextInt(40));
                    from += p.fill(seq, from, piece);
                    out.put(piece.flip());
                }
                assertThat(out.array()).isEqualTo(p.message(seq));
            }
        }
    }

    @Test
    void theCheckerFindsTheFirstWrongByteAnywhereInAnyPiece() {
        for (boolean utf8 : new boolean[] {false, true}) {
            Payload p = Payload.lines(40, utf8, UpperCase.unicode());
            Payload.Checker checker = p.checker();
            long seq = (3L << 32) | 77;
            byte[] good = p.expected(seq);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            direct.put(3, good, 0, good.length);
            direct.position(3).limit(3 + good.length);
            assertThat(checker.mismatch(seq, 0, direct, good.length)).isEqualTo(-1);
            for (int bad = 0; bad < good.length; bad++) {
                for (int from : new int[] {0, 5, 11, 12, 13, 39}) {
                    byte[] reply = good.clone();
                    reply[bad] ^= 0x20;
                    int n = good.length - from;
                    ByteBuffer src = ByteBuffer.wrap(reply, from, n);
                    int expected = bad >= from ? bad - from : -1;
                    assertThat(checker.mismatch(seq, from, src, n)).as("byte %d from %d", bad, from).isEqualTo(expected);
                    assertThat(src.position()).isEqualTo(from);
                    assertThat(src.limit()).isEqualTo(good.length);
                }
            }
        }
    }

    @Test
    void aDatagramReplyNamesItsMessageInEitherCase() {
        Payload p = Payload.datagrams(20, false, UpperCase.unicode());
        for (long seq : SEQS) {
            assertThat(p.seqOf(ByteBuffer.wrap(p.expected(seq)))).isEqualTo(seq);
            assertThat(p.seqOf(ByteBuffer.wrap(p.message(seq)))).isEqualTo(seq);
        }
        assertThat(p.seqOf(ByteBuffer.wrap("not a tag at all".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(-1);
        assertThat(p.seqOf(ByteBuffer.wrap("short".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(-1);
        assertThat(p.seqOf(ByteBuffer.wrap("zzzzzzzzzzz-zz".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(-1);
    }

    @Test
    void datagramsNeedRoomForTheWholeTag() {
        assertThatThrownBy(() -> Payload.datagrams(11, false, UpperCase.unicode()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payload.lines(0, false, UpperCase.unicode()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
