package upcase.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import upcase.bench.Json;

class JsonReaderTest {
    @Test
    void readsBackWhatTheBenchWrites() throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", "tcp \"quoted\" é </script>\n");
        doc.put("n", 12.5);
        doc.put("list", Arrays.asList(1L, null, true, "x"));
        doc.put("empty", Map.of());
        Object back = JsonReader.parse(Json.write(doc));
        assertThat(back).isEqualTo(Map.of("scenario", "tcp \"quoted\" é </script>\n", "n", 12.5,
                "list", Arrays.asList(1.0, null, true, "x"), "empty", Map.of()));
        assertThat(JsonReader.parse("[\"\\u00e9\\/\"]")).isEqualTo(List.of("é/"));
    }

    @Test
    void rejectsWhatIsNotJsonWithWhere() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "01", "\"open", "{} x", "tru", "1e", "[".repeat(100)}) {
            assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(JsonReader.Malformed.class)
                    .hasMessageContaining("offset");
        }
    }
}
