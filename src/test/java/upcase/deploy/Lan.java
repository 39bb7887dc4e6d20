package upcase.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import upcase.support.Commands;

/**
 * Hosts made of network namespaces on one Ethernet segment: a bridge in a namespace of its own
 * and, for each host, a veth pair from the bridge to the host's {@code eth0}. Nothing is added to
 * the machine's own namespace, and deleting the namespaces removes every interface with them
 * (a veth pair goes when either end's namespace does). Addresses are from 10.77.0.0/24.
 */
final class Lan implements AutoCloseable {
    static final String SUBNET = "10.77.0.";

    /** One host: its namespace, and its address on the segment. */
    record Host(String ip, String name, String namespace, String address) {
        /** {@code command} run inside this host's namespace ({@code ip netns exec} execs it: same PID). */
        List<String> exec(String... command) {
            List<String> all = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
            all.addAll(List.of(command));
            return all;
        }

        String run(String... command) throws IOException, InterruptedException {
            return Commands.run(exec(command));
        }
    }

    private final String ip;
    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();

    private Lan(Path ip, String prefix) {
        this.ip = ip.toString();
        this.prefix = prefix;
    }

    /**
     * Builds the segment; {@code hosts} maps each host's name (at most 11 characters, it names the
     * bridge's port too) to the last byte of its address. Unique names per {@code prefix}; on
     * failure, what was made so far is deleted before the exception goes on.
     */
    static Lan build(Path ip, String prefix, Map<String, Integer> hosts) throws IOException, InterruptedException {
        Lan lan = new Lan(ip, prefix);
        try {
            String bridge = lan.add(prefix + "-lan");
            Commands.run(List.of(ip.toString(), "-n", bridge, "link", "add", "br0", "type", "bridge"));
            Commands.run(List.of(ip.toString(), "-n", bridge, "link", "set", "br0", "up"));
            for (Map.Entry<String, Integer> h : hosts.entrySet()) {
                String ns = lan.add(prefix + "-" + h.getKey());
                String address = SUBNET + h.getValue();
                Commands.run(List.of(ip.toString(), "-n", bridge, "link", "add", h.getKey(), "type", "veth", "peer", "name",
                        "eth0", "netns", ns));
                Commands.run(List.of(ip.toString(), "-n", bridge, "link", "set", h.getKey(), "master", "br0", "up"));
                Commands.run(List.of(ip.toString(), "-n", ns, "addr", "add", address + "/24", "dev", "eth0"));
                Commands.run(List.of(ip.toString(), "-n", ns, "link", "set", "eth0", "up"));
                Commands.run(List.of(ip.toString(), "-n", ns, "link", "set", "lo", "up"));
                lan.hosts.put(h.getKey(), new Host(ip.toString(), h.getKey(), ns, address));
            }
            return lan;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            lan.close();
            throw e;
        }
    }

    private String add(String namespace) throws IOException, InterruptedException {
        Commands.run(List.of(ip, "netns", "add", namespace));
        namespaces.add(namespace);
        return namespace;
    }

    Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host " + name + " on " + prefix);
        }
        return h;
    }

    /** Deletes every namespace made; every process in them must have been stopped first. */
    @Override
    public void close() {
        for (String ns : namespaces.reversed()) {
            try {
                Commands.run(List.of(ip, "netns", "del", ns));
            } catch (IOException | InterruptedException | AssertionError e) {
                System.err.println("could not delete network namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }
}
