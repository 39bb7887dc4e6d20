package upcase.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.tcp.TcpClient;
import upcase.tcp.TcpClientOptions;

@Command(name = "tcp-client", mixinStandardHelpOptions = true,
        description = {
            "Send lines from standard input over TCP and print the replies (the textbook's TCPClient).",
            "At a terminal: prompts, and prints each reply as 'FROM SERVER: ...'.",
            "Piped: pipelines every line and writes the replies as they are, like tr a-z A-Z over the network."
        })
final class TcpClientCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ServerAddress.Tcp server;

    @Option(names = "--once", description = "Send one line, print its reply, and exit.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            defaultValue = TcpClientOptions.DEFAULT_TIMEOUT,
            description = "Give up connecting, or waiting for an owed reply, after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    TlsClientOptions tls;

    @Override
    public Integer call() throws Exception {
        Io io = main.io();
        return TcpClient.run(new TcpClientOptions(server.host, server.port(), timeout, io.interactive(), once,
                tls.settings()), io.stdin(), io.stdout(), io.stderr());
    }
}
