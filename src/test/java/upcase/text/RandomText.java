package upcase.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Seeded random inputs: runs of ASCII, multi-byte UTF-8 with a bias to cased letters, and garbage. */
final class RandomText {
    /** Code points whose uppercase is one-to-many, changes length in UTF-8, or is otherwise notable. */
    static final int[] NOTABLE = {
        0xDF, 0xFB01, 0xFB03, 0xFB13, 0x0390, 0x03B0, 0x0149, 0x01F0, 0x1E96, 0x1F80, 0x1FB3, 0x1FFC,
        0x0587, 0x0130, 0x0131, 0x017F, 0x0345, 0x01C5, 0x01C6, 0x00B5, 0x00FF, 0x00E9, 0x0250, 0x023F,
        0x1E9E, 0x2C65, 0x10428, 0x1E922, 0x118C0, 0x16E60, 0x0307, 0x1F600, 0x4E2D, 0x03C2,
    };
    private static final byte[] ASCII_EDGES = {'`', '{', '@', '[', 0x7F, 0, ' ', 'a', 'z', 'A', 'Z'};
    private static final byte[][] ILL_FORMED = {
        Hex.bytes("C0 80"), Hex.bytes("C1 BF"), Hex.bytes("E0 80 80"), Hex.bytes("E0 9F BF"),
        Hex.bytes("ED A0 80"), Hex.bytes("ED BF BF"), Hex.bytes("F0 80 80 80"), Hex.bytes("F0 8F BF BF"),
        Hex.bytes("F4 90 80 80"), Hex.bytes("F5 80 80 80"), Hex.bytes("FF"), Hex.bytes("FE"), Hex.bytes("80"),
    };

    private RandomText() {}

    /** Well-formed UTF-8 made of {@code pieces} runs of ASCII and single multi-byte code points. */
    static byte[] wellFormed(Random r, int pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < pieces; k++) {
            if (r.nextInt(3) == 0) {
                out.writeBytes(asciiRun(r));
            } else {
                out.writeBytes(utf8(scalar(r)));
            }
        }
        return out.toByteArray();
    }

    /** Like {@link #wellFormed} with ill-formed bytes mixed in: lone bytes, truncations, overlongs. */
    static byte[] mixed(Random r, int pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < pieces; k++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> out.writeBytes(asciiRun(r));
                case 2, 3 -> out.writeBytes(utf8(scalar(r)));
                case 4 -> out.write(0x80 + r.nextInt(0x80));
                default -> out.writeBytes(r.nextBoolean() ? truncated(r) : ILL_FORMED[r.nextInt(ILL_FORMED.length)]);
            }
        }
        return out.toByteArray();
    }

    /** Anything at all, 0x00-0xFF. */
    static byte[] noise(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    /** Random cut lengths adding up to {@code total}: mostly tiny (to split sequences), some empty, some big. */
    static int[] chunks(Random r, int total) {
        int[] lengths = new int[total + 1];
        int n = 0;
        int left = total;
        while (left > 0) {
            int len = switch (r.nextInt(8)) {
                case 0 -> 0;
                case 1, 2, 3, 4 -> 1 + r.nextInt(4);
                case 5, 6 -> 1 + r.nextInt(16);
                default -> 1 + r.nextInt(100);
            };
            len = Math.min(len, left);
            lengths[n++] = len;
            left -= len;
        }
        return Arrays.copyOf(lengths, n);
    }

    static byte[] asciiRun(Random r) {
        byte[] run = new byte[1 + r.nextInt(24)];
        for (int i = 0; i < run.length; i++) {
            run[i] = switch (r.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> (byte) ('a' + r.nextInt(26));
                case 5, 6 -> ASCII_EDGES[r.nextInt(ASCII_EDGES.length)];
                default -> (byte) r.nextInt(0x80);
            };
        }
        return run;
    }

    /** A non-ASCII scalar value: notable ones, cased scripts, and uniformly over each UTF-8 length. */
    static int scalar(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> NOTABLE[r.nextInt(NOTABLE.length)];
            case 1 -> 0xC0 + r.nextInt(0x530 - 0xC0); // Latin, Greek, Cyrillic, Armenian
            case 2 -> 0x80 + r.nextInt(0x800 - 0x80);
            case 3 -> {
                int cp;
                do {
                    cp = 0x800 + r.nextInt(0x10000 - 0x800);
                } while (Character.isSurrogate((char) cp));
                yield cp;
            }
            case 4 -> 0x1E00 + r.nextInt(0x300); // Latin Extended Additional, Greek Extended
            default -> 0x10000 + r.nextInt(0x110000 - 0x10000);
        };
    }

    /** A valid multi-byte sequence with 1 to len-1 of its trailing bytes cut off. */
    static byte[] truncated(Random r) {
        byte[] whole = utf8(scalar(r));
        return Arrays.copyOf(whole, 1 + r.nextInt(whole.length - 1));
    }

    static byte[] utf8(int cp) {
        return Character.toString(cp).getBytes(StandardCharsets.UTF_8);
    }
}
