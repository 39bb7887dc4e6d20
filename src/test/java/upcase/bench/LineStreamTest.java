package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import upcase.text.UpperCase;

class LineStreamTest {
    private final Payload payload = Payload.lines(30, false, UpperCase.unicode());
    private final LineStream stream = new LineStream(payload, payload.checker(), 5L << 32);

    /** Writes lines up to {@code limit} in pieces of at most {@code piece} bytes; returns the bytes written. */
    private byte[] write(long limit, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(piece);
        while (stream.sent() < limit) {
            buffer.clear();
            stream.fill(buffer, limit);
            buffer.flip();
            out.write(buffer.array(), 0, buffer.limit());
            stream.wrote(buffer.limit());
        }
        return out.toByteArray();
    }

    private List<Integer> read(byte[] replies, int piece) {
        List<Integer> outcomes = new ArrayList<>();
        for (int from = 0; from < replies.length; from += piece) {
            ByteBuffer src = ByteBuffer.wrap(replies, from, Math.min(piece, replies.length - from));
            while (src.hasRemaining()) {
                int outcome = stream.read(src);
                if (outcome != LineStream.PARTIAL) {
                    outcomes.add(outcome);
                }
                if (outcome == LineStream.UNSOLICITED) {
                    return outcomes;
                }
            }
        }
        return outcomes;
    }

    @Test
    void linesWrittenAndAnsweredInAnyPiecesAreAllRight() {
        Random random = new Random(7);
        byte[] written = write(10, 7);
        assertThat(written).hasSize(300);
        assertThat(stream.inFlight()).isEqualTo(10);
        byte[] replies = UpperCase.unicode().apply(written);
        List<Integer> outcomes = read(replies, 1 + random.nextInt(50));
        assertThat(outcomes).hasSize(10).containsOnly(LineStream.OK);
        assertThat(stream.inFlight()).isZero();
    }

    @Test
    void aPartlyWrittenLineCountsAsStartedAndItsBeginningCanBeAnswered() {
        ByteBuffer buffer = ByteBuffer.allocate(45);
        stream.fill(buffer, 2);
        stream.wrote(45);
        assertThat(stream.sent()).isEqualTo(1);
        assertThat(stream.started()).isEqualTo(2);
        byte[] replies = UpperCase.unicode().apply(java.util.Arrays.copyOf(buffer.array(), 45));
        ByteBuffer src = ByteBuffer.wrap(replies);
        assertThat(stream.read(src)).isEqualTo(LineStream.OK);
        assertThat(stream.read(src)).isEqualTo(LineStream.PARTIAL);
        assertThat(stream.read(ByteBuffer.wrap(new byte[] {'X'}))).isEqualTo(LineStream.UNSOLICITED);
    }

    @Test
    void aLowercaseServerGetsEveryLineCountedAsAMismatch() {
        byte[] written = write(4, 64);
        assertThat(read(written, 13)).containsExactly(
                LineStream.MISMATCH, LineStream.MISMATCH, LineStream.MISMATCH, LineStream.MISMATCH);
    }

    @Test
    void aDroppedByteSpoilsOnlyItsOwnLine() {
        byte[] replies = UpperCase.unicode().apply(write(3, 64));
        byte[] dropped = new byte[replies.length - 1];
        System.arraycopy(replies, 0, dropped, 0, 40);
        System.arraycopy(replies, 41, dropped, 40, replies.length - 41);
        assertThat(read(dropped, 8)).containsExactly(LineStream.OK, LineStream.MISMATCH, LineStream.OK);
    }

    @Test
    void anExtraByteSpoilsOnlyItsOwnLine() {
        byte[] replies = UpperCase.unicode().apply(write(3, 64));
        byte[] extra = new byte[replies.length + 1];
        System.arraycopy(replies, 0, extra, 0, 59);
        extra[59] = 'Q';
        System.arraycopy(replies, 59, extra, 60, replies.length - 59);
        assertThat(read(extra, 100)).containsExactly(LineStream.OK, LineStream.MISMATCH, LineStream.OK);
    }

    @Test
    void swappedRepliesAreMismatches() {
        byte[] replies = UpperCase.unicode().apply(write(2, 64));
        byte[] swapped = new byte[60];
        System.arraycopy(replies, 30, swapped, 0, 30);
        System.arraycopy(replies, 0, swapped, 30, 30);
        assertThat(read(swapped, 60)).containsExactly(LineStream.MISMATCH, LineStream.MISMATCH);
    }

    @Test
    void moreRepliesThanLinesAreUnsolicited() {
        byte[] replies = UpperCase.unicode().apply(write(1, 64));
        byte[] more = java.util.Arrays.copyOf(replies, 31);
        more[30] = 'A';
        assertThat(read(more, 64)).containsExactly(LineStream.OK, LineStream.UNSOLICITED);
    }
}
