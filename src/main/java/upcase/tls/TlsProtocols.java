package upcase.tls;

/** The TLS versions upcase speaks, as client and as server; older ones have known attacks (RFC 8996). */
public final class TlsProtocols {
    static final String[] ENABLED = {"TLSv1.3", "TLSv1.2"};

    private TlsProtocols() {}
}
