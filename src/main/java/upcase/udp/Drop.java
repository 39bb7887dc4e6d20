package upcase.udp;

/**
 * Why the server received a datagram and sent no reply. Each has a stable label for metrics and
 * logs (docs/OPERATIONS.md); every datagram received is either answered or dropped for one of these.
 */
public enum Drop {
    /** Its source port is one a reflecting server may use (PROTOCOL.md §UDP, the loop guard). */
    LOOP_GUARD("loop_guard"),
    /** Cut by the receive buffer, or its reply would not fit in one datagram. */
    OVERSIZE("oversize"),
    /** Its source address had used its replies for this second (--udp-rate-limit). */
    RATE_LIMIT("rate_limit"),
    /** A fault knob (--udp-drop-rate) chose it. */
    FAULT("fault"),
    /** The kernel refused the reply (no buffer space, no route). */
    SEND_FAILED("send_failed");

    private final String label;

    Drop(String label) {
        this.label = label;
    }

    /** The stable, lower-case name used in metrics and logs. */
    public String label() {
        return label;
    }
}
