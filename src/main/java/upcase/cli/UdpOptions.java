package upcase.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import upcase.udp.UdpServerConfig;

/** The UDP server's limits and threads. */
final class UdpOptions {
    @Option(names = "--udp-rate-limit", paramLabel = "N", converter = CountConverter.OrZero.class,
            defaultValue = "" + UdpServerConfig.NO_RATE_LIMIT,
            description = "At most N UDP replies per second to any one source address; 0 = no limit (default).")
    int rateLimit;

    @Option(names = "--udp-threads", paramLabel = "N", converter = ThreadCount.class,
            description = "UDP serving threads of the epoll engine, each with its own socket on the port (SO_REUSEPORT)"
                    + " (default: the number of cores; nio serves with one).")
    Integer threads;

    UdpServerConfig config(InetSocketAddress bind, ListenOptions listen) {
        int n = threads == null ? UdpServerConfig.defaultThreads() : threads;
        return new UdpServerConfig(bind, listen.transform(), rateLimit).withReusePort(listen.reusePort)
                .withEngine(listen.engine).withThreads(n);
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
