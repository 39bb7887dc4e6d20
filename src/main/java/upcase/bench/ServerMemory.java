package upcase.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A process's resident memory, from Linux's {@code /proc/PID/status}. */
final class ServerMemory {
    private ServerMemory() {}

    /** VmRSS in KiB. */
    static long residentKiB(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("no process " + pid + " (" + status + " does not exist)");
        } catch (NumberFormatException e) {
            throw new IOException("cannot read VmRSS in " + status + ": " + e.getMessage());
        }
        throw new IOException("no VmRSS in " + status + " (is " + pid + " a kernel thread?)");
    }
}
