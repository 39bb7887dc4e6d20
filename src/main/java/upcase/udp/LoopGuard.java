package upcase.udp;

/**
 * Which senders get no reply. Uppercasing is idempotent, so two servers that answer every
 * datagram (this one, inetd's echo, chargen, another uppercase server) can be made to bounce
 * one spoofed datagram between them forever (CERT CA-1996-01, CVE-1999-0103). Like OpenBSD's
 * inetd, the server does not answer a source port that such a server would use.
 */
final class LoopGuard {
    /** Ports below this are services (echo 7, daytime 13, chargen 19, ...), never clients. */
    private static final int FIRST_UNPRIVILEGED_PORT = 1024;
    /** The textbook uppercase servers: Java TCP, Java UDP, and both Python ones. */
    private static final int TEXTBOOK_TCP_JAVA = 6789;
    private static final int TEXTBOOK_UDP_JAVA = 9876;
    private static final int TEXTBOOK_PYTHON = 12000;

    private LoopGuard() {}

    /**
     * True when a datagram from {@code sourcePort} must not be answered. {@code ownPort} is
     * refused too: another instance of this server elsewhere most likely uses the same port.
     */
    static boolean refuses(int sourcePort, int ownPort) {
        return sourcePort < FIRST_UNPRIVILEGED_PORT
                || sourcePort == ownPort
                || sourcePort == TEXTBOOK_TCP_JAVA
                || sourcePort == TEXTBOOK_UDP_JAVA
                || sourcePort == TEXTBOOK_PYTHON;
    }
}
