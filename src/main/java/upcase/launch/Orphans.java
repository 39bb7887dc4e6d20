package upcase.launch;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The process groups of programs still running, killed should upcase itself be stopped (Ctrl-C,
 * SIGTERM) while it grades: they are in sessions of their own, so the terminal's signal does not
 * reach them, and nobody else would stop them. One shutdown hook, registered with the first program.
 */
final class Orphans {
    private static final Set<ProcessGroup> running = new LinkedHashSet<>();
    private static boolean hooked;

    private Orphans() {}

    static synchronized void watch(ProcessGroup group) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("upcase-stop-programs").unstarted(Orphans::killAll));
            hooked = true;
        }
        running.add(group);
    }

    static synchronized void forget(ProcessGroup group) {
        running.remove(group);
    }

    private static void killAll() {
        List<ProcessGroup> left;
        synchronized (Orphans.class) {
            left = List.copyOf(running);
        }
        for (ProcessGroup g : left) {
            try {
                g.signal("KILL");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
