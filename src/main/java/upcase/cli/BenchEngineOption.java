package upcase.cli;

import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import upcase.bench.Bench;
import upcase.net.Engine;

/** {@code --engine} of the load generators whose connections run on either engine ({@code bench tcp}, {@code bench idle}, {@code bench udp}). */
final class BenchEngineOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--engine", paramLabel = "ENGINE", converter = EngineConverter.class,
            completionCandidates = EngineConverter.class, defaultValue = "${env:UPCASE_ENGINE:-auto}",
            description = "How the generator's connections move bytes: ${COMPLETION-CANDIDATES}. epoll = Linux system"
                    + " calls, an epoll instance per load thread (no 1,024 events per wait, fewer copies; UDP: a"
                    + " socket's datagrams in one sendmmsg, its replies in one recvmmsg); nio = the JDK's"
                    + " selector, and the only one with --tls; auto = epoll where it works and without --tls, else nio"
                    + " (default: ${DEFAULT-VALUE}; env UPCASE_ENGINE). The report names the engine used.")
    Engine engine;

    /** The engine to run on; {@code --tls} with {@code --engine epoll}, and {@code --engine io_uring}, are usage errors (exit 2). */
    Engine resolve(boolean tls) throws IOException {
        if (engine == Engine.IO_URING) {
            throw new ParameterException(command.commandLine(),
                    "the generator has no io_uring engine (it is a server engine): use --engine epoll, nio or auto");
        }
        if (tls && engine == Engine.EPOLL) {
            throw new ParameterException(command.commandLine(),
                    "--tls runs on the nio engine only (TLS is the JDK's SSLEngine over a socket channel): use --engine nio or auto");
        }
        return Bench.engine(engine, tls);
    }
}
