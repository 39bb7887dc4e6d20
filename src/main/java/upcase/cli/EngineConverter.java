package upcase.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import upcase.net.Engine;

/** {@code auto}, {@code nio} or {@code epoll}, in any case; the values are also the help's and completion's candidates. */
final class EngineConverter implements ITypeConverter<Engine>, Iterable<String> {
    @Override
    public Engine convert(String value) {
        for (Engine engine : Engine.values()) {
            if (engine.label().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return engine;
            }
        }
        throw new TypeConversionException("expected " + String.join(", ", this) + ", not '" + value + "'");
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Engine.values()).map(Engine::label).iterator();
    }
}
