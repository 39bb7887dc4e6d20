#!/usr/bin/env python3
"""The textbook's Python UDPServer (Kurose/Ross ch. 2), changed only to run on Python 3 and
to be run by tests: usage  udp_server.py PORT_FILE

Binds 127.0.0.1, port 0 (the kernel picks), writes the port number to PORT_FILE (atomically:
temp file + rename) and then prints one ready line to stderr. Loops: recvfrom(2048) (longer
datagrams are cut, as in the book), bytes.upper() (ASCII letters only), sendto the sender.
Exits when stdin reaches EOF or on SIGTERM/SIGINT.
"""
import os, signal, sys, threading
from socket import *

def stop_on_stdin_eof():
    try:
        while os.read(0, 4096):
            pass
    finally:
        os._exit(0)

def write_port_file(path, port):
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'w') as f:
        f.write(str(port))
    os.replace(tmp, path)

portFile = sys.argv[1]
signal.signal(signal.SIGINT, signal.SIG_DFL)
threading.Thread(target=stop_on_stdin_eof, daemon=True).start()
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('127.0.0.1', 0))
write_port_file(portFile, serverSocket.getsockname()[1])
print('The server is ready to receive', file=sys.stderr, flush=True)
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    modifiedMessage = message.upper()
    serverSocket.sendto(modifiedMessage, clientAddress)
