package upcase.probe;

import java.util.List;
import java.util.stream.Stream;

/** The catalogue: every check, TCP first, each transport's textbook checks before its full ones. */
public final class Checks {
    private Checks() {}

    public static List<Check> all() {
        return Stream.concat(TcpChecks.all().stream(), UdpChecks.all().stream()).toList();
    }

    /** The checks that run at {@code level}: full-level checks are not even listed at the textbook level. */
    public static List<Check> at(Level level) {
        return all().stream().filter(c -> level.includes(c.level())).toList();
    }
}
