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
 */
public record TcpStats(long accepted, long refused, long open, long lines, long bytesIn, long bytesOut) {}
