#!/usr/bin/env python3
"""The textbook's Python UDPServer (Kurose/Ross ch. 2), fixed.

Run: python3 udp_server.py [port]   (default 12000; 0 lets the system pick)
Answers every datagram with its text in UPPERCASE.
"""
import sys
from socket import *

serverPort = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
with socket(AF_INET, SOCK_DGRAM) as serverSocket:
    serverSocket.bind(('', serverPort))
    serverPort = serverSocket.getsockname()[1]
    print('The server is ready to receive on port', serverPort, flush=True)
    while True:
        # fix: room for the largest datagram (65,507 bytes over IPv4), not 2048
        message, clientAddress = serverSocket.recvfrom(65535)
        # fix: never answer a service port: two echo-like servers would bounce a spoofed
        # datagram between them forever (CERT CA-1996-01)
        if clientAddress[1] < 1024 or clientAddress[1] in (6789, 9876, 12000, serverPort):
            continue
        # fix: str.upper() is Unicode and locale-independent ('ß' -> 'SS'); bytes.upper() is
        # ASCII only. Bytes that are not UTF-8 become surrogates and come back unchanged.
        sentence = message.decode('utf-8', 'surrogateescape')
        modifiedMessage = sentence.upper().encode('utf-8', 'surrogateescape')
        try:
            serverSocket.sendto(modifiedMessage, clientAddress)
        except OSError as e:  # e.g. a reply grown past 65,507 bytes: keep serving
            print('udp_server.py: no reply to %s:%s: %s' % (clientAddress + (e,)), file=sys.stderr)
