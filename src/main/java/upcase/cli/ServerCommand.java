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
import upcase.udp.UdpServerConfig;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the TCP and the UDP server in one process, until SIGINT or SIGTERM.")
final class ServerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--tcp-port", paramLabel = "PORT", converter = PortConverter.class,
            defaultValue = "${env:UPCASE_TCP_PORT:-" + TcpServerConfig.DEFAULT_PORT + "}",
            description = "TCP port; 0 = any free port (default: ${DEFAULT-VALUE}; env UPCASE_TCP_PORT).")
    int tcpPort;

    @Option(names = "--udp-port", paramLabel = "PORT", converter = PortConverter.class,
            defaultValue = "${env:UPCASE_UDP_PORT:-" + UdpServerConfig.DEFAULT_PORT + "}",
            description = "UDP port; 0 = any free port (default: ${DEFAULT-VALUE}; env UPCASE_UDP_PORT).")
    int udpPort;

    @Mixin
    ListenOptions listen;

    @Mixin
    ServiceOptions service;

    @Mixin
    UdpOptions udp;

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

    @Mixin
    UdpFaultOptions udpFaults;

    @Override
    public Integer call() throws Exception {
        Faults knobs = faults.faults(tcpFaults, udpFaults);
        ProxyPolicy policy = proxy.policy(); // a usage error (exit 2) before anything starts
        return ServerRunner.run(main.io(), main.verbose(), log.format(), service.config(), List.of(
                () -> TcpService.start(tcp.config(listen.address(tcpPort), listen).withFaults(knobs.forTcp())
                        .withProxy(policy)),
                () -> UdpService.start(udp.config(listen.address(udpPort), listen).withFaults(knobs.forUdp()))));
    }
}
