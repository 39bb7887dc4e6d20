package upcase.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code ADDR:PORT} to listen on: {@code 127.0.0.1:9900}, {@code [::1]:0}, {@code localhost:9900}; port 0 = any. */
final class SocketAddressConverter implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
        String text = value.strip();
        int colon = text.lastIndexOf(':');
        // An IPv6 address needs its brackets here: in ::1:9900 the port could be part of the address.
        if (colon <= 0 || (text.indexOf(':') != colon && !text.startsWith("["))) {
            throw new TypeConversionException("'" + value + "' is not ADDR:PORT (IPv6 as [ADDR]:PORT)");
        }
        return new InetSocketAddress(new BindAddressConverter().convert(text.substring(0, colon)),
                new PortConverter().convert(text.substring(colon + 1)));
    }
}
