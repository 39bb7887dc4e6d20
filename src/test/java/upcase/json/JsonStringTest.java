package upcase.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared JSON string encoder, read back by a real parser (Jackson), not by a hand-written one. */
class JsonStringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String parsed(String json) throws Exception {
        return JSON.readValue(json, String.class);
    }

    @Test
    void escapesWhatRfc8259RequiresWithTheShortFormsWhereThereAreSome() {
        assertThat(JsonString.quote("a\"b\\c\nd\re\tf\bg\fh\u0001i\u001f İ"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001f İ\"");
    }

    @Test
    void escapesWhatATerminalOrJavaScriptWouldActOn() {
        assertThat(JsonString.quote("\u007f\u0080\u009b[31m\u00a0\u2028\u2029"))
                .isEqualTo("\"\\u007f\\u0080\\u009b[31m\u00a0\\u2028\\u2029\"");
    }

    @Test
    void everyCharacterOfTheBasicPlaneRoundTripsExceptLoneSurrogates() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
            }
        }
        String text = all.toString();
        String json = JsonString.quote(text);
        assertThat(parsed(json)).isEqualTo(text);
        assertThat(json.chars().filter(c -> c < 0x20)).as("no raw control character").isEmpty();
    }

    @Test
    void pairedSurrogatesPassAndLoneOnesBecomeTheReplacementCharacter() throws Exception {
        String emoji = "😀";
        assertThat(JsonString.quote(emoji)).isEqualTo("\"😀\"");
        String lone = "a\ud800b\udc00c" + emoji.charAt(1) + emoji.charAt(0) + "\ud83d";
        String json = JsonString.quote(lone);
        assertThat(parsed(json)).isEqualTo("a\ufffdb\ufffdc\ufffd\ufffd\ufffd");
        // Valid UTF-16 now, so it encodes to UTF-8 and back unchanged.
        assertThat(new String(json.getBytes(UTF_8), UTF_8)).isEqualTo(json);
    }

    @Test
    void invalidUtf8BecomesTheReplacementCharacterAndTheRestSurvives() throws Exception {
        byte[] bytes = {'o', 'k', (byte) 0xC3, '"', (byte) 0xFF, '\\', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n',
                (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F};
        String json = JsonString.appendUtf8(bytes, 0, bytes.length, new StringBuilder()).toString();
        String back = parsed(json);
        assertThat(back).startsWith("ok\ufffd\"\ufffd\\").contains("\n€").endsWith("\ufffd");
        assertThat(back.chars().filter(c -> Character.isSurrogate((char) c))).as("an encoded surrogate is invalid UTF-8").isEmpty();
        assertThat(JsonString.appendUtf8(bytes, 0, 2, new StringBuilder()).toString()).isEqualTo("\"ok\"");
    }

    @Test
    void randomUtf16RoundTripsWithLoneSurrogatesReplaced() throws Exception {
        SplittableRandom random = new SplittableRandom(10);
        for (int round = 0; round < 2_000; round++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                // Mostly the characters that need care: controls, quotes, backslashes, surrogates.
                chars[i] = switch (random.nextInt(5)) {
                    case 0 -> (char) random.nextInt(0x20);
                    case 1 -> "\"\\/'{}[]:,".charAt(random.nextInt(10));
                    case 2 -> (char) (0xD800 + random.nextInt(0x800));
                    case 3 -> (char) (0x7F + random.nextInt(0x21));
                    default -> (char) random.nextInt(Character.MAX_VALUE + 1);
                };
            }
            String text = new String(chars);
            String expected = text.codePoints()
                    .map(cp -> Character.isSurrogate((char) cp) && cp <= 0xFFFF ? 0xFFFD : cp)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
            assertThat(parsed(JsonString.quote(text))).as("round %d: %s", round, text).isEqualTo(expected);
        }
    }
}
