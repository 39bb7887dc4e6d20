package upcase.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.tcp.TcpStats;

record TcpService(TcpServer server) implements Service {
    static Service start(TcpServerConfig config) throws IOException {
        return new TcpService(TcpServer.start(config));
    }

    @Override
    public String protocol() {
        return "tcp";
    }

    @Override
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    @Override
    public CompletableFuture<Throwable> broken() {
        return server.broken();
    }

    @Override
    public String faults() {
        return server.config().faults().describe();
    }

    @Override
    public String summary() {
        TcpStats s = server.stats();
        return "tcp " + s.accepted() + " connections (" + s.refused() + " refused), " + s.lines() + " lines, "
                + s.bytesIn() + " bytes in, " + s.bytesOut() + " bytes out";
    }

    @Override
    public void close() {
        server.close();
    }
}
