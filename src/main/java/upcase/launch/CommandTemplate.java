package upcase.launch;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import upcase.probe.Transport;

/**
 * The command that starts a program under test, as the teacher writes it, run by
 * {@code /bin/sh -c}. Its placeholders say which ports the program gets and how each is probed:
 * {@code {tcp}} a port probed over TCP, {@code {udp}} one probed over UDP, {@code {port}} one
 * port probed over both (a server that serves both on one port); {@code {dir}} is the
 * submission's directory, already quoted for the shell.
 */
public record CommandTemplate(String text) {
    public static final String PORT = "{port}";
    public static final String TCP = "{tcp}";
    public static final String UDP = "{udp}";
    public static final String DIR = "{dir}";

    /** @throws IllegalArgumentException with a message fit to show a user */
    public CommandTemplate {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("the command to run is empty");
        }
        boolean port = text.contains(PORT);
        boolean split = text.contains(TCP) || text.contains(UDP);
        if (!port && !split) {
            throw new IllegalArgumentException("the command must say where the port goes: {port} (probed over TCP and UDP),"
                    + " {tcp} or {udp}, e.g. 'python3 server.py {udp}'");
        }
        if (port && split) {
            throw new IllegalArgumentException("use either {port} (one port for TCP and UDP) or {tcp}/{udp}, not both");
        }
    }

    /** The transports probed, in the order of {@link Transport}. */
    public Set<Transport> transports() {
        if (text.contains(PORT)) {
            return EnumSet.allOf(Transport.class);
        }
        Set<Transport> set = EnumSet.noneOf(Transport.class);
        if (text.contains(TCP)) {
            set.add(Transport.TCP);
        }
        if (text.contains(UDP)) {
            set.add(Transport.UDP);
        }
        return set;
    }

    /** Whether every transport shares one port number ({@code {port}}). */
    public boolean sharedPort() {
        return text.contains(PORT);
    }

    /** The command with its placeholders filled in: {@code ports} holds a port for each of {@link #transports()}. */
    public String render(Map<Transport, Integer> ports, Path dir) {
        Map<Transport, Integer> given = new EnumMap<>(ports);
        if (!given.keySet().equals(transports())) {
            throw new IllegalArgumentException("ports " + given + " do not match " + transports());
        }
        String out = text.replace(DIR, shellQuoted(dir.toAbsolutePath().normalize().toString()));
        if (sharedPort()) {
            out = out.replace(PORT, String.valueOf(given.get(Transport.TCP)));
        }
        if (given.containsKey(Transport.TCP)) {
            out = out.replace(TCP, String.valueOf(given.get(Transport.TCP)));
        }
        if (given.containsKey(Transport.UDP)) {
            out = out.replace(UDP, String.valueOf(given.get(Transport.UDP)));
        }
        return out;
    }

    /** One shell word whatever the path holds: single quotes, each ' written as '\''. */
    static String shellQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
