package upcase.cli;

import sun.misc.Signal;

/**
 * SIGHUP reads the TLS certificate and key again, the way daemons rotate certificates
 * (cert-manager, certbot's deploy hooks send it). Installed only by servers that have files to
 * read: elsewhere SIGHUP keeps its default, ending the process with its terminal.
 */
final class ReloadSignal {
    private ReloadSignal() {}

    /** {@code reload} runs on the JVM's signal thread, once per signal. */
    static void install(Runnable reload) {
        Signal.handle(new Signal("HUP"), signal -> reload.run());
    }
}
