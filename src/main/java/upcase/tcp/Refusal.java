package upcase.tcp;

/**
 * Why the server closed a connection as soon as it accepted it, before serving it. Each has a
 * stable label for metrics and logs (docs/OPERATIONS.md).
 */
public enum Refusal {
    /** --max-connections were open. */
    MAX_CONNECTIONS("max_connections");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    /** The stable, lower-case name used in metrics and logs. */
    public String label() {
        return label;
    }
}
