package upcase.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventTest {
    @Test
    void everyEventIsDocumentedInOperationsLogs() throws IOException {
        String doc = Files.readString(Path.of("docs/OPERATIONS.md"), StandardCharsets.UTF_8);
        String logs = doc.substring(doc.indexOf("## Logs"));
        for (Event e : Event.values()) {
            assertThat(logs).as("docs/OPERATIONS.md §Logs").contains("| `" + e.id() + "` |");
        }
    }

    @Test
    void namesAreDistinctLowerCaseWords() {
        assertThat(Arrays.stream(Event.values()).map(Event::id)).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[a-z]+(_[a-z]+)*"));
    }
}
