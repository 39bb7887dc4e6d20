package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.udp.UdpClient;
import upcase.udp.UdpClientOptions;

@Command(name = "udp-client", mixinStandardHelpOptions = true,
        description = {
            "Send each line of standard input as one datagram and print the replies (the textbook's UDPClient).",
            "At a terminal: prompts, and prints each reply as 'FROM SERVER: ...'.",
            "A line with no reply after every try is reported, and the exit code is then 1."
        })
final class UdpClientCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ServerAddress.Udp server;

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
        return UdpClient.run(new UdpClientOptions(server.host, server.port(), timeout, retries, io.interactive(), once),
                io.stdin(), io.stdout(), io.stderr());
    }
}
