package upcase.udp;

/** The UDP sizes both ends of the protocol share. */
final class Datagrams {
    /**
     * The largest UDP payload over IPv4: 65,535 (IPv4 total length) - 20 (IPv4 header) - 8 (UDP
     * header). IPv6 would allow 65,527, but a request or reply must fit whichever family the
     * other end uses, so this is the limit in both directions.
     */
    static final int MAX_PAYLOAD = 65_507;

    /**
     * Receive buffer size: larger than any UDP payload, IPv6's 65,527 included, because the
     * kernel silently drops whatever part of a datagram does not fit the buffer (the textbook
     * server's 1,024-byte buffer cut a 1,500-byte datagram). A datagram that fills it completely
     * can only be an IPv6 jumbogram, and was cut.
     */
    static final int RECEIVE_CAPACITY = 65_536;

    private Datagrams() {}
}
