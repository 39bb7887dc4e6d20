package upcase.probe;

/** Why the probe stopped waiting for a reply. */
enum Ending {
    /** The reply looked complete (TCP), or a datagram came (UDP). */
    REPLIED,
    /** The server closed the connection (end of stream). */
    CLOSED,
    /** The connection was reset, or broke otherwise. */
    RESET,
    /** Nothing more came within the wait. */
    SILENT
}
