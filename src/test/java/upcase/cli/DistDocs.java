package upcase.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the distribution's documentation from the picocli model, so that it cannot drift from
 * the options: {@code DIR/man/*.adoc} (one AsciiDoc man page per command, by picocli-codegen's
 * ManPageGenerator; src/dist/build.sh turns them into troff with asciidoctor) and
 * {@code DIR/completion/upcase} (bash completion, by picocli's AutoComplete). Also writes
 * {@code DIR/java-home}: the JDK this runs on is the one Maven's toolchain picked, and
 * build.sh takes jlink and the AOT training JVM's version from it.
 *
 * <p>Run by the {@code dist} profile (pom.xml) from the test classpath, where picocli-codegen is.
 */
public final class DistDocs {
    private DistDocs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DistDocs DIR");
            Runtime.getRuntime().halt(Main.USAGE);
        }
        Path dir = Path.of(args[0]);
        CommandLine cli = CommandModel.commandLine();
        Path man = Files.createDirectories(dir.resolve("man"));
        // Pages of commands that no longer exist must not outlive them (build.sh takes every page).
        try (var stale = Files.newDirectoryStream(man, "*.adoc")) {
            for (Path page : stale) {
                Files.delete(page);
            }
        }
        int status = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], true, cli.getCommandSpec());
        if (status != 0) {
            System.err.println("upcase: ManPageGenerator failed with status " + status);
            Runtime.getRuntime().halt(Main.FAILURE);
        }
        Path completion = Files.createDirectories(dir.resolve("completion"));
        Files.writeString(completion.resolve("upcase"), AutoComplete.bash("upcase", cli), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("java-home"), System.getProperty("java.home") + System.lineSeparator(), StandardCharsets.UTF_8);
        Runtime.getRuntime().halt(Main.OK);
    }
}
