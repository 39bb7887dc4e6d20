package upcase.net;

/**
 * What a log line reports, by a stable name: the JSON log's {@code event} field
 * (docs/OPERATIONS.md §Logs lists them all, and a test holds the two together). Renaming one
 * breaks whoever filters on it.
 */
public enum Event {
    // The server commands' own lines.
    LISTENING("listening"),
    STOPPING("stopping"),
    DRAIN_DELAY("drain_delay"),
    STOPPED("stopped"),
    /** SIGHUP read the TLS certificate and key again; new handshakes use them. */
    TLS_RELOADED("tls_reloaded"),
    /** SIGHUP found a TLS file it cannot use; the old pair keeps serving. */
    TLS_RELOAD_FAILED("tls_reload_failed"),
    START_FAILED("start_failed"),
    // A server's life (debug).
    SERVER_STARTED("server_started"),
    SERVER_STOPPED("server_stopped"),
    /** The auto engine could not use the native one; the reason says why. */
    ENGINE_FALLBACK("engine_fallback"),
    // TCP connections (debug, except the warnings).
    /** New with the JSON log: the text log has never printed it, and still does not. */
    CONNECTION_OPENED("connection_opened", false),
    CONNECTION_CLOSED("connection_closed"),
    CONNECTION_GONE("connection_gone"),
    CONNECTION_FAILED("connection_failed"),
    REFUSED("refused"),
    ACCEPT_FAILED("accept_failed"),
    EVENT_LOOP_LATE("event_loop_late"),
    // UDP datagrams.
    DATAGRAM_ANSWERED("datagram_answered"),
    UDP_DROPPED("udp_dropped"),
    DATAGRAM_FAILED("datagram_failed"),
    DATAGRAM_FAILED_TRACE("datagram_failed_trace"),
    RECEIVE_FAILED("receive_failed"),
    PORT_UNREACHABLE("port_unreachable"),
    DRAIN_CUT("drain_cut"),
    STOP_MARKER_FAILED("stop_marker_failed"),
    STOP_FORCED("stop_forced"),
    // Either server.
    SERVER_BROKE("server_broke"),
    SOCKET_CLOSED_WHILE_STOPPING("socket_closed_while_stopping"),
    CLOSE_FAILED("close_failed"),
    /** A line from a logger that does not log events (the JDK's, a library's). */
    LOG("log");

    private final String id;
    private final boolean inTextLog;

    Event(String id) {
        this(id, true);
    }

    Event(String id, boolean inTextLog) {
        this.id = id;
        this.inTextLog = inTextLog;
    }

    /** The stable, lower-case name. */
    public String id() {
        return id;
    }

    /** Whether the text log prints it: the text format stays what it was before the JSON log. */
    public boolean inTextLog() {
        return inTextLog;
    }
}
