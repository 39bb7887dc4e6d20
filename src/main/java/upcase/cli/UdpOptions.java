package upcase.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import upcase.net.Durations;
import upcase.udp.UdpServerConfig;

/** The UDP server's limits and threads. */
final class UdpOptions {
    @Option(names = "--udp-rate-limit", paramLabel = "N", converter = CountConverter.OrZero.class,
            defaultValue = "" + UdpServerConfig.NO_RATE_LIMIT,
            description = "At most N UDP replies per second to any one source address; 0 = no limit (default).")
    int rateLimit;

    @Option(names = "--udp-threads", paramLabel = "N", converter = ThreadCount.class,
            description = "UDP serving threads of the epoll and io_uring engines, each with its own socket on the port (SO_REUSEPORT)"
                    + " (default: the number of cores; nio serves with one).")
    Integer threads;

    @Option(names = "--udp-spin", paramLabel = "DURATION", converter = Spin.class,
            defaultValue = UdpServerConfig.DEFAULT_SPIN,
            description = "After a batch of several datagrams, how long an epoll thread waits on its CPU before it receives"
                    + " again, so that batches fill and system calls fall (an io_uring thread sleeps in the kernel instead,"
                    + " until 8 more datagrams or this long); 0 = never (default: ${DEFAULT-VALUE}; at most 1ms).")
    Duration spin;

    UdpServerConfig config(InetSocketAddress bind, ListenOptions listen) {
        int n = threads == null ? UdpServerConfig.defaultThreads() : threads;
        return new UdpServerConfig(bind, listen.transform(), rateLimit).withReusePort(listen.reusePort)
                .withEngine(listen.engine).withThreads(n).withSpin(spin);
    }

    /** 0 to {@link UdpServerConfig#MAX_SPIN}. */
    static final class Spin extends DurationConverter {
        @Override
        public Duration convert(String value) {
            Duration d = super.convert(value);
            if (d.compareTo(UdpServerConfig.MAX_SPIN) > 0) {
                throw new TypeConversionException("'" + value + "' is longer than " + Durations.format(UdpServerConfig.MAX_SPIN)
                        + ": a longer spin delays requests rather than batching them");
            }
            return d;
        }
    }

    /** 1 to {@link UdpServerConfig#MAX_THREADS}. */
    static final class ThreadCount extends CountConverter {
        @Override
        public Integer convert(String value) {
            int n = super.convert(value);
            if (n > UdpServerConfig.MAX_THREADS) {
                throw new TypeConversionException("'" + value + "' is more than " + UdpServerConfig.MAX_THREADS + " threads");
            }
            return n;
        }
    }
}
