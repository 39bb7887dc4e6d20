package upcase.udp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link UdpServer}'s counters since it started. Each field is read on its own,
 * so a snapshot taken while datagrams arrive may be a few datagrams apart between fields.
 *
 * @param received datagrams received
 * @param repliesSent replies sent
 * @param bytesIn payload bytes received
 * @param bytesOut payload bytes sent
 * @param drops datagrams received and not answered, by reason (every reason present)
 * @param delayed replies held back by --delay/--jitter (counted in repliesSent once sent)
 */
public record UdpStats(long received, long repliesSent, long bytesIn, long bytesOut, Map<Drop, Long> drops, long delayed) {
    public UdpStats {
        drops = Collections.unmodifiableMap(new EnumMap<>(drops));
    }

    /** The sum of two snapshots: a server's threads, each counting its own. */
    public UdpStats plus(UdpStats other) {
        Map<Drop, Long> sum = new EnumMap<>(drops);
        other.drops.forEach((why, n) -> sum.merge(why, n, Long::sum));
        return new UdpStats(received + other.received, repliesSent + other.repliesSent, bytesIn + other.bytesIn,
                bytesOut + other.bytesOut, sum, delayed + other.delayed);
    }

    /** Datagrams not answered for this reason. */
    public long dropped(Drop why) {
        return drops.get(why);
    }

    /** Datagrams not answered because of a fault knob: --udp-drop-rate, or over the bound of delayed replies. */
    public long faultDropped() {
        return dropped(Drop.FAULT);
    }

    /** Datagrams not answered, whatever the reason. */
    public long dropped() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
