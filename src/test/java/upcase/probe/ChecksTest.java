package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import upcase.text.UpperCase;

/** The catalogue: stable ids, levels, and docs/PROBE.md in step with it. */
class ChecksTest {
    @Test
    void theIdsAreStable() {
        // Graders key on these: a change here is a change of the report's format (docs/PROBE.md).
        assertThat(Checks.all()).extracting(Check::id).containsExactly(
                "tcp.textbook.line", "tcp.textbook.punctuation",
                "tcp.full.several-lines", "tcp.full.pipelining", "tcp.full.split-writes", "tcp.full.no-line-end",
                "tcp.full.line-3000", "tcp.full.line-100000", "tcp.full.crlf", "tcp.full.half-close",
                "tcp.full.utf8-multibyte", "tcp.full.utf8-expanding", "tcp.full.locale", "tcp.full.invalid-bytes",
                "tcp.full.second-client",
                "udp.textbook.datagram", "udp.textbook.punctuation",
                "udp.full.no-padding", "udp.full.size-0", "udp.full.size-1500", "udp.full.size-8192",
                "udp.full.size-65507", "udp.full.whitespace", "udp.full.utf8-multibyte", "udp.full.utf8-expanding",
                "udp.full.locale", "udp.full.invalid-bytes", "udp.full.right-sender");
    }

    @Test
    void theTextbookLevelListsOnlyTextbookChecks() {
        assertThat(Checks.at(Level.TEXTBOOK)).extracting(Check::id)
                .containsExactly("tcp.textbook.line", "tcp.textbook.punctuation", "udp.textbook.datagram", "udp.textbook.punctuation");
        assertThat(Checks.at(Level.FULL)).extracting(Check::id)
                .containsExactlyElementsOf(Checks.all().stream().map(Check::id).toList());
    }

    @Test
    void textbookTextsAreAsciiSoEitherUppercasingPasses() {
        for (String text : List.of(Samples.LINE, Samples.PUNCTUATION)) {
            byte[] b = Samples.utf8(text + "\n");
            assertThat(UpperCase.ascii().apply(b)).isEqualTo(UpperCase.unicode().apply(b));
        }
    }

    @Test
    void everyCheckIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("docs/PROBE.md"), StandardCharsets.UTF_8);
        for (Check check : Checks.all()) {
            assertThat(doc).as("docs/PROBE.md").contains("`" + check.id() + "`");
        }
    }
}
