package upcase.proxy;

/**
 * What {@link ProxyHeaderParser#parse} makes of the bytes a connection has sent so far. The
 * answer depends only on those bytes, so the caller may parse again from the start each time
 * more arrive (the header is at most {@link ProxyHeaderParser#MAX_V2_HEADER} bytes).
 */
public sealed interface ProxyParse {
    /** The bytes so far are a valid beginning of a header: read more, then parse again. */
    NeedMore NEED_MORE = new NeedMore();
    /** The bytes do not begin with either version's signature: the connection sent no header. */
    Absent ABSENT = new Absent();

    record NeedMore() implements ProxyParse {}

    record Absent() implements ProxyParse {}

    /**
     * A complete, valid header.
     *
     * @param consumed its length: the bytes after it are the connection's data
     */
    record Parsed(ProxyHeader header, int consumed) implements ProxyParse {}

    /** A header that begins with a signature but breaks the specification; the connection is closed. */
    record Malformed(String reason) implements ProxyParse {}
}
