package upcase.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The process's streams, passed in so that tests run commands in-process.
 *
 * @param interactive whether a person is at a terminal (prompts and {@code FROM SERVER: } lines)
 */
public record Io(InputStream stdin, OutputStream stdout, PrintStream stderr, boolean interactive) {}
