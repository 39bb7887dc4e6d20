package upcase.cli;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import upcase.net.LogEvent;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.tcp.TcpStats;
import upcase.tls.ServerTls;

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
    public List<Listening> listening() {
        InetSocketAddress plain = server.plainAddress();
        InetSocketAddress tls = server.tlsAddress();
        if (tls == null) {
            return List.of(new Listening("tcp", plain));
        }
        return plain == null ? List.of(new Listening("tls", tls))
                : List.of(new Listening("tcp", plain), new Listening("tls", tls));
    }

    @Override
    public boolean reloadable() {
        return server.tlsAddress() != null;
    }

    @Override
    public ServerTls.Reload reload() {
        return server.reloadTls();
    }

    @Override
    public CompletableFuture<Throwable> broken() {
        return server.broken();
    }

    @Override
    public String engine() {
        return Service.engine(server.engine(), server.config().eventLoops());
    }

    @Override
    public List<LogEvent.Field> engineFields() {
        return Service.engineFields(server.engine(), server.config().eventLoops());
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
    public List<LogEvent.Field> summaryFields() {
        TcpStats s = server.stats();
        return List.of(field("tcp_connections", s.accepted()), field("tcp_refused", s.refused()),
                field("tcp_lines", s.lines()), field("tcp_bytes_in", s.bytesIn()), field("tcp_bytes_out", s.bytesOut()));
    }

    @Override
    public void close() {
        server.close();
    }
}
