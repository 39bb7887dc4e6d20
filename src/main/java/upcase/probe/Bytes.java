package upcase.probe;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/** The few byte-array operations the checks and the diagnosis share. */
final class Bytes {
    private Bytes() {}

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Non-overlapping occurrences of {@code needle}. */
    static int count(byte[] b, byte[] needle) {
        int n = 0;
        for (int i = 0; i + needle.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
                n++;
                i += needle.length - 1;
            }
        }
        return n;
    }

    static int count(byte[] b, char c) {
        return count(b, new byte[] {(byte) c});
    }
}
