package upcase.launch;

import java.util.List;

/**
 * How a program under test ended.
 *
 * @param status the main process's exit status (128 + N when signal N ended it, as a shell shows it);
 *     {@code -1} when it could not be known
 * @param exitedOnItsOwn whether the main process had exited before the stop (a crash, or a program that is not a server)
 * @param stoppedWith the signal the group needed, {@code TERM} or {@code KILL}; {@code null} when nothing was left to stop
 * @param survivors pids of the group still alive after SIGKILL (a process in uninterruptible sleep); normally empty
 * @param stderrTail the last lines of its stderr
 * @param stderrBytes how many bytes it wrote to stderr in all
 */
public record Exit(int status, boolean exitedOnItsOwn, String stoppedWith, List<Long> survivors,
        List<String> stderrTail, long stderrBytes) {
    public Exit {
        survivors = List.copyOf(survivors);
        stderrTail = List.copyOf(stderrTail);
    }

    /** {@code exited with status 1}, {@code stopped with SIGTERM}, {@code ignored SIGTERM for 2s, stopped with SIGKILL}. */
    public String describe(String grace) {
        StringBuilder s = new StringBuilder();
        if (exitedOnItsOwn) {
            s.append("exited by itself with status ").append(status);
            if (stoppedWith != null) {
                s.append("; the processes it left were stopped with SIG").append(stoppedWith);
            }
        } else if ("KILL".equals(stoppedWith)) {
            s.append("still running after SIGTERM and ").append(grace).append(": stopped with SIGKILL");
        } else {
            s.append("stopped with SIGTERM");
        }
        if (!survivors.isEmpty()) {
            s.append("; ").append(survivors.size()).append(" of its processes survived SIGKILL: ").append(survivors);
        }
        return s.toString();
    }
}
