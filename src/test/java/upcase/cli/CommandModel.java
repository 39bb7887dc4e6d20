package upcase.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * upcase's command line as picocli models it, for code that reads the model and never runs a
 * command: the distribution's man pages and completion ({@link DistDocs}) and the checks that
 * the deployment files only use options that exist.
 */
public final class CommandModel {
    private CommandModel() {}

    public static CommandLine commandLine() {
        Io detached = new Io(InputStream.nullInputStream(), new ByteArrayOutputStream(),
                new PrintStream(new ByteArrayOutputStream(), true), false);
        return new CommandLine(new Main(detached));
    }
}
