package upcase.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code upcase}: the textbook's uppercase servers and clients. Exit codes (docs/PROTOCOL.md
 * §Exit codes): 0 success, 1 a runtime failure (one line naming the address), 2 bad usage.
 */
@Command(
        name = "upcase",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Sends lines to a server that answers them in UPPERCASE, over TCP and UDP.",
        subcommands = {
            ServerCommand.class,
            TcpServerCommand.class,
            UdpServerCommand.class,
            TcpClientCommand.class,
            UdpClientCommand.class,
            BenchCommand.class,
            ProbeCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:runtime failure (address in use, connection refused, no reply, ...)", "2:bad usage"})
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log every connection, and show stack traces with errors.")
    boolean verbose;

    private final Io io;

    Main(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    boolean verbose() {
        return verbose;
    }

    public static void main(String[] args) {
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        var stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        Io io = new Io(new FileInputStream(FileDescriptor.in), stdout, stderr, Terminal.isStdin());
        int status = launch(io, args);
        try {
            stdout.flush();
        } catch (java.io.IOException e) {
            // stdout is gone (a closed pipe): the status already says what happened
        }
        stderr.flush();
        // halt, not exit: nothing is left to run at exit (no shutdown hooks; output is flushed),
        // and Runtime.exit would first start the JDK's logging to log the exit, a cost at start-up.
        Runtime.getRuntime().halt(status);
    }

    /** The client commands' plain forms skip picocli (see {@link ClientFastPath}); all else goes through it. */
    static int launch(Io io, String... args) {
        ClientFastPath.Request client = ClientFastPath.parse(args, System.getenv());
        return client != null ? ClientFastPath.run(client, io) : run(io, args);
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    public static int run(Io io, String... args) {
        Main main = new Main(io);
        CommandLine cli = new CommandLine(main);
        cli.setOut(new PrintWriter(io.stdout(), true));
        cli.setErr(new PrintWriter(io.stderr(), true));
        cli.setParameterExceptionHandler((e, argv) -> {
            String help = e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
            io.stderr().println("upcase: " + e.getMessage() + " (see '" + help + "')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            io.stderr().println("upcase: " + Failures.describe(e));
            if (main.verbose) {
                e.printStackTrace(io.stderr());
            }
            return FAILURE;
        });
        return cli.execute(args);
    }
}
