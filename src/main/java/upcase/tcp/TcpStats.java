package upcase.tcp;

/**
 * A snapshot of a {@link TcpServer}'s counters.
 *
 * @param accepted connections served
 * @param refused connections closed at once because {@code maxConnections} were open
 * @param open connections open now
 * @param lines line feeds received (each ends a line)
 * @param bytesIn bytes received
 * @param bytesOut bytes sent
 * @param delayedReplies replies held back by --delay/--jitter (one per read answered)
 * @param faultCloses connections closed (FIN) by --close-after
 * @param faultResets connections reset (RST) by --reset-after
 */
public record TcpStats(long accepted, long refused, long open, long lines, long bytesIn, long bytesOut,
        long delayedReplies, long faultCloses, long faultResets) {}
