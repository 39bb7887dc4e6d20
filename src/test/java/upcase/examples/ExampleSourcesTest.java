package upcase.examples;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples stay what examples/README.md promises: short, portable, and pointed at. */
class ExampleSourcesTest {
    private static final Pattern FIX_LINK = Pattern.compile("\\]\\(((?:java|python)/[\\w.]+)#L(\\d+)\\)");

    @ParameterizedTest
    @ValueSource(strings = {
        "java/TCPServer.java", "java/TCPClient.java", "java/UDPServer.java", "java/UDPClient.java",
        "python/tcp_server.py", "python/tcp_client.py", "python/udp_server.py", "python/udp_client.py"})
    void readableInOneSitting(String file) throws IOException {
        assertThat(Files.readAllLines(Examples.DIR.resolve(file), UTF_8)).as(file).hasSizeLessThanOrEqualTo(60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TCPServer", "TCPClient", "UDPServer", "UDPClient"})
    void javaSourcesAreAsciiSoThatAnyPlatformCharsetCompilesThem(String program) throws IOException {
        // `java X.java` reads the source with the platform charset (-Dfile.encoding=COMPAT, old JDKs).
        String source = Files.readString(Examples.DIR.resolve("java/" + program + ".java"), ISO_8859_1);
        assertThat(source).as(program + ".java").matches("\\p{ASCII}*");
    }

    @Test
    void everyFixTheReadmeLinksToIsAFixComment() throws IOException {
        String readme = Files.readString(Examples.DIR.resolve("README.md"), UTF_8);
        Matcher m = FIX_LINK.matcher(readme);
        int links = 0;
        while (m.find()) {
            links++;
            List<String> lines = Files.readAllLines(Examples.DIR.resolve(m.group(1)), UTF_8);
            int line = Integer.parseInt(m.group(2));
            assertThat(line).as(m.group()).isBetween(1, lines.size());
            assertThat(lines.get(line - 1)).as("examples/README.md links %s:%d", m.group(1), line).contains("fix:");
        }
        assertThat(links).as("links to fixes in examples/README.md").isGreaterThan(20);
    }
}
