package upcase.examples;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The three servers of one transport that the examples' tests talk to: upcase's own and the
 * Java and Python example programs (the Python one only where python3 is installed). Started
 * once per test class; the two example servers start together, since each JVM start compiles
 * its source file.
 */
final class ExampleServers implements AutoCloseable {
    enum Server { JAVA, PYTHON, UPCASE }

    enum Client { JAVA, PYTHON, UPCASE }

    /** A session both transports' tests send: non-ASCII, a special casing, an empty line. */
    static final List<String> LINES = List.of("hello world", "straße", "ğüş, ﬁx", "quit istanbul", "", "last line");

    /** Every client with every server, but upcase with upcase (tested elsewhere): the tests' {@code @MethodSource}. */
    static Stream<Arguments> everyPairingWithAnExample() {
        List<Arguments> pairs = new ArrayList<>();
        for (Client client : Client.values()) {
            for (Server server : Server.values()) {
                if (client != Client.UPCASE || server != Server.UPCASE) {
                    pairs.add(Arguments.of(client, server));
                }
            }
        }
        return pairs.stream();
    }

    private final Map<Server, Integer> ports = new EnumMap<>(Server.class);
    private final List<AutoCloseable> running = new ArrayList<>();

    static ExampleServers start(AutoCloseable upcase, int upcasePort, String javaProgram, String pythonProgram)
            throws Exception {
        ExampleServers servers = new ExampleServers();
        servers.running.add(upcase);
        servers.ports.put(Server.UPCASE, upcasePort);
        ExampleProcess java = Examples.java(javaProgram, "0");
        servers.running.add(java);
        if (Examples.pythonAvailable()) {
            ExampleProcess python = Examples.python(pythonProgram, "0");
            servers.running.add(python);
            servers.ports.put(Server.PYTHON, python.awaitReadyPort(Examples.SERVER_START));
        }
        servers.ports.put(Server.JAVA, java.awaitReadyPort(Examples.SERVER_START));
        return servers;
    }

    /** The server's port; skips the calling test, with a message, for Python without python3. */
    int port(Server server) {
        if (server == Server.PYTHON) {
            Examples.assumePython();
        }
        return ports.get(server);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }
}
