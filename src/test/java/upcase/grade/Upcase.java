package upcase.grade;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import upcase.cli.Io;
import upcase.cli.Main;

/** {@code upcase} in-process, piped; and the commands that start programs for it to grade. */
record Upcase(int exit, String stdout, String stderr) {
    /** The test JVM's java (25): the students' Java programs run on it, as source files. */
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    /** Only start-up is shortened: the programs compile their source at every start. */
    static final String JAVA_SOURCE = JAVA + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    static Upcase run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, UTF_8), false);
        int exit = Main.run(io, args);
        return new Upcase(exit, out.toString(UTF_8), err.toString(UTF_8));
    }

    /** {@code upcase} itself as a program to grade, in a JVM of its own. */
    static String upcaseServer(String... args) {
        return JAVA + " -cp " + System.getProperty("java.class.path") + " upcase.cli.Main server " + String.join(" ", args);
    }

    static Path resource(String name) {
        try {
            return Path.of(Upcase.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n" + stdout + stderr;
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
