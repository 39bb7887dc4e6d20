package upcase.probe;

/** When a TCP reply is complete enough to judge, without waiting for the timeout. */
@FunctionalInterface
interface Until {
    boolean done(byte[] received, int length);

    /**
     * Once {@code n} line feeds have come. Counting lines rather than bytes judges a reply of the
     * wrong length (an expanded İ, a dropped CR) at once instead of after the timeout.
     */
    static Until lines(int n) {
        return (b, length) -> {
            int seen = 0;
            for (int i = 0; i < length && seen < n; i++) {
                if (b[i] == '\n') {
                    seen++;
                }
            }
            return seen >= n;
        };
    }

    /** Once {@code n} bytes have come: for replies without a line feed. */
    static Until bytes(int n) {
        return (b, length) -> length >= n;
    }

    /** Only at end of stream: for checks that the server closes. */
    static Until end() {
        return (b, length) -> false;
    }
}
