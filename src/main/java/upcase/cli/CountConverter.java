package upcase.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A count that must be at least 1, such as --max-connections. */
class CountConverter implements ITypeConverter<Integer> {
    int lowest() {
        return 1;
    }

    @Override
    public Integer convert(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= lowest()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message
        }
        throw new TypeConversionException("'" + value + "' is not a whole number of at least " + lowest());
    }

    /** A count that may be 0, such as --retries. */
    static final class OrZero extends CountConverter {
        @Override
        int lowest() {
            return 0;
        }
    }
}
