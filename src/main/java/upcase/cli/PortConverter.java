package upcase.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A port a server listens on: 0 to 65535, where 0 asks for an ephemeral port. */
class PortConverter implements ITypeConverter<Integer> {
    int lowest() {
        return 0;
    }

    @Override
    public Integer convert(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= lowest() && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message
        }
        throw new TypeConversionException("'" + value + "' is not a port (" + lowest() + "-65535)");
    }

    /** A port a client connects to: 1 to 65535. */
    static final class Remote extends PortConverter {
        @Override
        int lowest() {
            return 1;
        }
    }
}
