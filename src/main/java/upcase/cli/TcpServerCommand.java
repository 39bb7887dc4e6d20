package upcase.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.fault.Faults;
import upcase.proxy.ProxyPolicy;
import upcase.tcp.TcpServerConfig;

@Command(name = "tcp-server", mixinStandardHelpOptions = true,
        description = "Run the TCP server (the textbook's TCPServer), until SIGINT or SIGTERM.")
final class TcpServerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.class,
            defaultValue = "${env:UPCASE_TCP_PORT:-" + TcpServerConfig.DEFAULT_PORT + "}",
            description = "Port; 0 = any free port (default: ${DEFAULT-VALUE}; env UPCASE_TCP_PORT).")
    int port;

    @Mixin
    ListenOptions listen;

    @Mixin
    ServiceOptions service;

    @Mixin
    TcpOptions tcp;

    @Mixin
    ProxyOptions proxy;

    @Mixin
    LogOptions log;

    @Mixin
    FaultOptions faults;

    @Mixin
    TcpFaultOptions tcpFaults;

    @Override
    public Integer call() throws Exception {
        Faults knobs = faults.faults(tcpFaults, null).forTcp();
        ProxyPolicy policy = proxy.policy(); // a usage error (exit 2) before anything starts
        return ServerRunner.run(main.io(), main.verbose(), log.format(), service.config(),
                List.of(() -> TcpService.start(tcp.config(listen.address(port), listen).withFaults(knobs)
                        .withProxy(policy))));
    }
}
