#!/usr/bin/env python3
"""A textbook-style UDP uppercase server (Kurose/Ross ch. 2), as a peer for bench/compare.sh.

usage  python_udp_server.py [PORT]      (default 0: the kernel picks; binds 127.0.0.1)

The book's UDPServer.py loop: recvfrom, bytes.upper(), sendto the sender. Changed for the
benchmark: recvfrom(65535) instead of 2048, so no datagram is cut; 4 MiB socket buffers, as
upcase's and the Netty peer's; a failed send does not stop the server. bytes.upper() changes
only ASCII a-z.
Prints 'python: udp listening on 127.0.0.1:PORT' to stderr once bound; stop it with SIGTERM.
"""
import sys
from socket import *

serverPort = int(sys.argv[1]) if len(sys.argv) > 1 else 0
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.setsockopt(SOL_SOCKET, SO_RCVBUF, 4 << 20)
serverSocket.setsockopt(SOL_SOCKET, SO_SNDBUF, 4 << 20)
serverSocket.bind(('127.0.0.1', serverPort))
print('python: udp listening on 127.0.0.1:%d' % serverSocket.getsockname()[1], file=sys.stderr, flush=True)
while True:
    message, clientAddress = serverSocket.recvfrom(65535)
    try:
        serverSocket.sendto(message.upper(), clientAddress)
    except OSError:
        pass
