package upcase.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineFeedsTest {
    private static int naive(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += b[i] == '\n' ? 1 : 0;
        }
        return n;
    }

    @Test
    void everyByteValueInEveryLaneAndTail() {
        byte[] b = new byte[40];
        for (int v = 0; v < 256; v++) {
            for (int pos = 0; pos < 20; pos++) {
                java.util.Arrays.fill(b, (byte) '\n');
                b[pos] = (byte) v;
                for (int from = 0; from < 8; from++) {
                    assertThat(LineFeeds.count(b, from, from + 21)).as("value %d at %d from %d", v, pos, from)
                            .isEqualTo(naive(b, from, from + 21));
                }
            }
        }
    }

    @Test
    void randomInputsAgreeWithAByteLoop() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2_000; round++) {
            byte[] b = new byte[random.nextInt(200)];
            for (int i = 0; i < b.length; i++) {
                // line feeds, their neighbours 0x09/0x0B, 0x8A (LF with bit 7), and anything
                b[i] = switch (random.nextInt(5)) {
                    case 0 -> '\n';
                    case 1 -> (byte) 0x8A;
                    case 2 -> (byte) (0x09 + random.nextInt(3));
                    default -> (byte) random.nextInt(256);
                };
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(LineFeeds.count(b, from, to)).as("seed %d round %d", seed, round).isEqualTo(naive(b, from, to));
        }
    }
}
