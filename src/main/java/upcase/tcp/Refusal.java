package upcase.tcp;

/**
 * Why the server closed a connection as soon as it accepted it, before serving it. Each has a
 * stable label for metrics and logs (docs/OPERATIONS.md).
 */
public enum Refusal {
    /** --max-connections were open. */
    MAX_CONNECTIONS("max_connections"),
    /** A PROXY protocol header that is malformed, truncated or longer than the bound (PROTOCOL.md §PROXY). */
    PROXY_HEADER("proxy_header"),
    /** A PROXY protocol header from an address outside --proxy-trusted: never believed. */
    PROXY_UNTRUSTED("proxy_untrusted"),
    /** The TLS handshake failed: plain text, an HTTP request or random bytes on a TLS port, a bad client certificate. */
    TLS_HANDSHAKE("tls_handshake"),
    /** The PROXY header and TLS handshake were not done within --handshake-timeout of the accept. */
    HANDSHAKE_TIMEOUT("handshake_timeout");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    /** The stable, lower-case name used in metrics and logs. */
    public String label() {
        return label;
    }
}
