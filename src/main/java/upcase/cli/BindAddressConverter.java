package upcase.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An address to listen on: an IPv4 or IPv6 literal, or a name such as localhost. */
final class BindAddressConverter implements ITypeConverter<InetAddress> {
    @Override
    public InetAddress convert(String value) {
        String text = value.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notLiteral) {
            if (text.isEmpty() || !text.matches("[A-Za-z0-9.-]+") || text.matches("[0-9.]+")) {
                throw new TypeConversionException("'" + value + "' is not an address");
            }
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new TypeConversionException("cannot resolve '" + value + "'");
        }
    }
}
