package upcase.probe;

import java.util.Locale;

public enum Transport {
    TCP,
    UDP;

    /** {@code tcp} or {@code udp}, as in ids and option names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
