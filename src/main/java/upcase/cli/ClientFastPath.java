package upcase.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.TypeConversionException;
import upcase.tcp.TcpClient;
import upcase.tcp.TcpClientOptions;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpClient;
import upcase.udp.UdpClientOptions;
import upcase.udp.UdpServerConfig;

/**
 * The plain forms of the two client commands, run without building picocli's model: that model
 * costs a client about 280 ms of start-up here (docs/PERFORMANCE.md, "Client start-up"), several
 * times the JVM's own. Anything else (help, --verbose, a value picocli would reject, an unknown
 * word) is left to picocli, which then gives its usual answer; CliTest checks that both read
 * every plain form alike.
 *
 * <p>Plain forms: {@code tcp-client [--once] [--timeout D] [HOST [PORT]]} and
 * {@code udp-client [--once] [--timeout D] [--retries N] [HOST [PORT]]}, options in any order,
 * {@code --opt value} or {@code --opt=value}. TLS lines ({@code --tls} and its options) are
 * picocli's: a handshake costs more than picocli's model, and TLS options need its validation.
 */
final class ClientFastPath {
    /** What a plain client command line asks for. */
    record Request(String command, String host, int port, Duration timeout, int retries, boolean once) {}

    private ClientFastPath() {}

    /** The request, or null when picocli should read this command line. */
    static Request parse(String[] args, Map<String, String> env) {
        if (args.length == 0 || !(args[0].equals("tcp-client") || args[0].equals("udp-client"))) {
            return null;
        }
        boolean udp = args[0].equals("udp-client");
        try {
            String host = udp ? UdpClientOptions.DEFAULT_HOST : TcpClientOptions.DEFAULT_HOST;
            String portText = null;
            Duration timeout = Durations.of(udp ? UdpClientOptions.DEFAULT_TIMEOUT : TcpClientOptions.DEFAULT_TIMEOUT);
            int retries = UdpClientOptions.DEFAULT_RETRIES;
            boolean once = false;
            int positional = 0;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                switch (name) {
                    case "--once" -> {
                        if (arg.contains("=") || once) {
                            return null;
                        }
                        once = true;
                    }
                    case "--timeout", "--retries" -> {
                        String value;
                        if (arg.contains("=")) {
                            value = arg.substring(arg.indexOf('=') + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            return null;
                        }
                        if (name.equals("--timeout")) {
                            timeout = new DurationConverter.Positive().convert(value);
                        } else if (udp) {
                            retries = new CountConverter.OrZero().convert(value);
                        } else {
                            return null;
                        }
                    }
                    default -> {
                        if (arg.startsWith("-") || positional == 2) {
                            return null;
                        }
                        if (positional++ == 0) {
                            host = arg;
                        } else {
                            portText = arg;
                        }
                    }
                }
            }
            if (portText == null) {
                String fromEnv = env.get(udp ? "UPCASE_UDP_PORT" : "UPCASE_TCP_PORT");
                portText = fromEnv != null ? fromEnv
                        : String.valueOf(udp ? UdpServerConfig.DEFAULT_PORT : TcpServerConfig.DEFAULT_PORT);
            }
            int port = new PortConverter.Remote().convert(portText);
            return new Request(args[0], host, port, timeout, retries, once);
        } catch (TypeConversionException e) {
            return null; // picocli says what is wrong, in its words
        }
    }

    /** Runs the request; failures are answered as the command line answers them. */
    static int run(Request r, Io io) {
        try {
            if (r.command().equals("udp-client")) {
                return UdpClient.run(new UdpClientOptions(r.host(), r.port(), r.timeout(), r.retries(), io.interactive(),
                        r.once()), io.stdin(), io.stdout(), io.stderr());
            }
            return TcpClient.run(new TcpClientOptions(r.host(), r.port(), r.timeout(), io.interactive(), r.once()),
                    io.stdin(), io.stdout(), io.stderr());
        } catch (Exception e) {
            io.stderr().println("upcase: " + Failures.describe(e));
            return Main.FAILURE;
        }
    }

    /** Only to keep the defaults' text in one place: they are parsed as picocli parses them. */
    private static final class Durations {
        static Duration of(String text) {
            return upcase.net.Durations.parse(text);
        }
    }
}
