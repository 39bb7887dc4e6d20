package upcase.udp;

/**
 * A snapshot of a {@link UdpServer}'s counters since it started. Each field is read on its own,
 * so a snapshot taken while datagrams arrive may be a few datagrams apart between fields.
 *
 * @param received datagrams received
 * @param repliesSent replies sent
 * @param bytesIn payload bytes received
 * @param bytesOut payload bytes sent
 * @param loopGuarded datagrams not answered because of their source port
 * @param oversized datagrams not answered because the reply would not fit in one datagram
 * @param sendFailures replies the kernel refused or that waited too long for buffer space
 * @param rateLimited datagrams not answered because their source had used its replies per second
 * @param faultDropped datagrams not answered because of a fault knob: chosen by --udp-drop-rate, or
 *     over the bound of delayed replies waiting (--delay)
 * @param delayed replies held back by --delay/--jitter (counted in repliesSent once sent)
 */
public record UdpStats(
        long received,
        long repliesSent,
        long bytesIn,
        long bytesOut,
        long loopGuarded,
        long oversized,
        long sendFailures,
        long rateLimited,
        long faultDropped,
        long delayed) {}
