package upcase.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;
import upcase.net.Engine;
import upcase.text.UpperCase;

/** What every server command shares: where to listen, which transform to apply, and the engine. */
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

    @Option(names = "--engine", paramLabel = "ENGINE", converter = EngineConverter.class,
            completionCandidates = EngineConverter.class, defaultValue = "${env:UPCASE_ENGINE:-auto}",
            description = "How the servers move bytes: ${COMPLETION-CANDIDATES}. epoll = Linux system calls: for TCP"
                    + " an epoll instance per thread without the JDK selector's 1,024 events per wait, for UDP"
                    + " recvmmsg/sendmmsg in batches with replies from the arrival address; io_uring = a ring per"
                    + " thread (Linux 6.0): for TCP multishot accept and receive into provided buffers, for UDP"
                    + " multishot recvmsg, one io_uring_enter per turn; auto = epoll where it works, else nio"
                    + " (default: ${DEFAULT-VALUE}; env UPCASE_ENGINE).")
    Engine engine;

    InetSocketAddress address(int port) {
        return new InetSocketAddress(bind == null ? Wildcard.address() : bind, port);
    }

    UpperCase transform() {
        return ascii ? UpperCase.ascii() : UpperCase.unicode();
    }
}
