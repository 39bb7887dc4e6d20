#!/usr/bin/env python3
"""A textbook-style TCP uppercase server (Kurose/Ross ch. 2), as a peer for bench/compare.sh.

usage  python_tcp_server.py [PORT]      (default 0: the kernel picks; listens on 127.0.0.1)

Like the book's TCPServer.py it serves one client at a time, in one thread. Changed for the
benchmark, so that it answers correctly whatever the client sends: it answers every line of
a connection until the client closes (recv(65536), bytes.upper(), sendall), instead of one
recv(1024) and one send; the accept backlog is the kernel's limit instead of 1; TCP_NODELAY is
on, as in every server compared. bytes.upper() changes only ASCII a-z.
Prints 'python: tcp listening on 127.0.0.1:PORT' to stderr once listening; stop it with SIGTERM.
"""
import sys
from socket import *

serverPort = int(sys.argv[1]) if len(sys.argv) > 1 else 0
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('127.0.0.1', serverPort))
serverSocket.listen(SOMAXCONN)
print('python: tcp listening on 127.0.0.1:%d' % serverSocket.getsockname()[1], file=sys.stderr, flush=True)
while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        connectionSocket.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1)
        while True:
            sentence = connectionSocket.recv(65536)
            if not sentence:
                break
            connectionSocket.sendall(sentence.upper())
    except OSError:
        pass
    connectionSocket.close()
