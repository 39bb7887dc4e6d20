package upcase.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import upcase.fault.Faults;
import upcase.udp.UdpServerConfig;

@Command(name = "udp-server", mixinStandardHelpOptions = true,
        description = "Run the UDP server (the textbook's UDPServer), until SIGINT or SIGTERM.")
final class UdpServerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.class,
            defaultValue = "${env:UPCASE_UDP_PORT:-" + UdpServerConfig.DEFAULT_PORT + "}",
            description = "Port; 0 = any free port (default: ${DEFAULT-VALUE}; env UPCASE_UDP_PORT).")
    int port;

    @Mixin
    ListenOptions listen;

    @Mixin
    ServiceOptions service;

    @Mixin
    UdpOptions udp;

    @Mixin
    LogOptions log;

    @Mixin
    FaultOptions faults;

    @Mixin
    UdpFaultOptions udpFaults;

    @Override
    public Integer call() throws Exception {
        Faults knobs = faults.faults(null, udpFaults).forUdp();
        return ServerRunner.run(main.io(), main.verbose(), log.format(), service.config(),
                List.of(() -> UdpService.start(udp.config(listen.address(port), listen).withFaults(knobs))));
    }
}
