package upcase.bench;

/** What the load threads count. Errors of every kind count over the whole run, warm-up and drain included. */
enum Count {
    /** Lines or datagrams whose first byte was written. */
    SENT,
    /** Replies that arrived and were exactly the expected bytes. */
    REPLIES,
    /** The bytes of those replies. */
    REPLY_BYTES,
    /** Replies that arrived and differ from the expected bytes. */
    MISMATCHES,
    /** Everything else that went wrong: an unexpected close, a reply that never came, an I/O error. */
    ERRORS,
    /** Connections reset by the server (ECONNRESET, or EPIPE on a write). */
    RESETS,
    /** Datagrams with no reply within the timeout. */
    LOST,
    /** Replies that came after their datagram was counted lost. */
    LATE,
    /** Connections established. */
    CONNECTS,
    /** Connections that could not be established: refused, timed out, out of ports or descriptors. */
    CONNECT_FAILURES,
    /** With --rate: lines that were due when sending stopped but never left, because the window was full. */
    UNSENT
}
