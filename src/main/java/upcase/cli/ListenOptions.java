package upcase.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;
import upcase.text.UpperCase;

/** What every server command shares: where to listen and which transform to apply. */
final class ListenOptions {
    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "${env:UPCASE_BIND}",
            converter = BindAddressConverter.class,
            description = "Address to listen on (default: all interfaces, IPv4 and IPv6; env UPCASE_BIND).")
    InetAddress bind;

    @Option(names = "--ascii",
            description = "Change only a-z; every other byte passes unchanged (Python's bytes.upper()).")
    boolean ascii;

    @Option(names = "--reuse-port",
            description = "Set SO_REUSEPORT, so that several upcase processes share the port (docs/OPERATIONS.md).")
    boolean reusePort;

    InetSocketAddress address(int port) {
        return new InetSocketAddress(bind == null ? Wildcard.address() : bind, port);
    }

    UpperCase transform() {
        return ascii ? UpperCase.ascii() : UpperCase.unicode();
    }
}
