package upcase.cli;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import upcase.net.Engine;
import upcase.net.LogEvent;
import upcase.tls.ServerTls;

/** A running server, as the server commands see it. */
interface Service extends AutoCloseable {
    /** {@code tcp} or {@code udp}. */
    String protocol();

    InetSocketAddress localAddress();

    /** Completes if the server stops serving by itself. */
    CompletableFuture<Throwable> broken();

    /** The fault knobs that are on, for the start line ({@code delay 20ms, close-after 3}); empty when none. */
    String faults();

    /** How it serves, for the start line ({@code engine epoll, 2 threads}); empty when there is nothing to say. */
    default String engine() {
        return "";
    }

    /** The same as fields of the JSON log's {@code listening} event; none by default. */
    default List<LogEvent.Field> engineFields() {
        return List.of();
    }

    /** {@link #engine} of a server on {@code engine} with {@code threads} serving threads. */
    static String engine(Engine engine, int threads) {
        return "engine " + engine.label() + ", " + threads + (threads == 1 ? " thread" : " threads");
    }

    /** {@link #engineFields} of a server on {@code engine} with {@code threads} serving threads. */
    static List<LogEvent.Field> engineFields(Engine engine, int threads) {
        return List.of(LogEvent.field("engine", engine.label()), LogEvent.field("threads", threads));
    }

    /** What it did, for the summary line: {@code tcp 3 connections, 12 lines, 40 bytes in, 40 bytes out}. */
    String summary();

    /** The same counts as the summary, for the JSON log's {@code stopped} event: {@code tcp_connections: 3}, ... */
    List<LogEvent.Field> summaryFields();

    /** One listening socket, for its start line: {@code upcase: PROTOCOL listening on LOCAL}. */
    record Listening(String protocol, InetSocketAddress local) {}

    /** Every listening socket, in start-line order: by default the one at {@link #localAddress}. */
    default List<Listening> listening() {
        return List.of(new Listening(protocol(), localAddress()));
    }

    /** Whether SIGHUP has files to read again (TLS certificates). */
    default boolean reloadable() {
        return false;
    }

    /** SIGHUP, on the signal's thread: reads the files again; only when {@link #reloadable}. */
    default ServerTls.Reload reload() {
        throw new UnsupportedOperationException(protocol() + " has nothing to reload");
    }

    /** Stops serving; drains first. */
    @Override
    void close();
}
