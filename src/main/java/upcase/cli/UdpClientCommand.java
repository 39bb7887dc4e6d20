package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import upcase.udp.UdpClient;
import upcase.udp.UdpClientOptions;
import upcase.udp.UdpServerConfig;

@Command(name = "udp-client", mixinStandardHelpOptions = true,
        description = {
            "Send each line of standard input as one datagram and print the replies (the textbook's UDPClient).",
            "At a terminal: prompts, and prints each reply as 'FROM SERVER: ...'.",
            "A line with no reply after every try is reported, and the exit code is then 1."
        })
final class UdpClientCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", defaultValue = UdpClientOptions.DEFAULT_HOST,
            description = "Server name or address (default: ${DEFAULT-VALUE}).")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", converter = PortConverter.Remote.class,
            defaultValue = "${env:UPCASE_UDP_PORT:-" + UdpServerConfig.DEFAULT_PORT + "}",
            description = "Server port (default: ${DEFAULT-VALUE}; env UPCASE_UDP_PORT).")
    int port;

    @Option(names = "--once", description = "Send one line, print its reply, and exit.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            defaultValue = UdpClientOptions.DEFAULT_TIMEOUT,
            description = "Wait this long for each reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "" + UdpClientOptions.DEFAULT_RETRIES,
            converter = CountConverter.OrZero.class,
            description = "Send a line this many more times when no reply comes (default: ${DEFAULT-VALUE}).")
    int retries;

    @Override
    public Integer call() throws Exception {
        Io io = main.io();
        return UdpClient.run(new UdpClientOptions(host, port, timeout, retries, io.interactive(), once),
                io.stdin(), io.stdout(), io.stderr());
    }
}
