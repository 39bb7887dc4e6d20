package upcase.probe;

import java.util.List;
import java.util.stream.Stream;
import upcase.tls.ClientContext;

/** The catalogue: every check, TCP first, each transport's textbook checks before its full ones. */
public final class Checks {
    private Checks() {}

    public static List<Check> all() {
        return list(new TcpChecks(null, false));
    }

    /** Every check, the TLS handshake check ({@code --tls} only) included: the ids a points file may name. */
    public static List<Check> catalogue() {
        return list(new TcpChecks(null, true));
    }

    /** The checks that run at {@code level}: full-level checks are not even listed at the textbook level. */
    public static List<Check> at(Level level) {
        return at(level, false);
    }

    /** The checks at {@code level}, with {@code tls} the TLS handshake check first: for their ids, never run. */
    public static List<Check> at(Level level, boolean tls) {
        return filter(list(new TcpChecks(null, tls)), level);
    }

    /** The checks that run at {@code level}, the TCP ones over {@code tls} (null: plain TCP). */
    static List<Check> at(Level level, ClientContext tls) {
        return filter(list(new TcpChecks(tls, tls != null)), level);
    }

    private static List<Check> list(TcpChecks tcp) {
        return Stream.concat(tcp.all().stream(), UdpChecks.all().stream()).toList();
    }

    private static List<Check> filter(List<Check> checks, Level level) {
        return checks.stream().filter(c -> level.includes(c.level())).toList();
    }
}
