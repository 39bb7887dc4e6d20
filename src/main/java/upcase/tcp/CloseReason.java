package upcase.tcp;

/**
 * Why the server closed a connection it had accepted. Each has a stable label: the metrics'
 * {@code reason} label and the JSON logs' {@code reason} field use it (docs/OPERATIONS.md).
 */
public enum CloseReason {
    /** The client closed its side (EOF) and every reply was written. */
    CLIENT("client"),
    /** The connection broke: a reset by the peer, a broken pipe; normal on the internet. */
    RESET("reset"),
    /** It sent nothing for --idle-timeout. */
    IDLE_TIMEOUT("idle_timeout"),
    /** The server was stopping: drained, or cut at the drain timeout. */
    DRAIN("drain"),
    /** A fault knob (--close-after, --reset-after) ended it on purpose. */
    FAULT("fault"),
    /** Something unexpected in the server; logged as a warning. */
    ERROR("error");

    private final String label;

    CloseReason(String label) {
        this.label = label;
    }

    /** The stable, lower-case name used in metrics and logs. */
    public String label() {
        return label;
    }
}
