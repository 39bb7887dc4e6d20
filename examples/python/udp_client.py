#!/usr/bin/env python3
"""The textbook's Python UDPClient (Kurose/Ross ch. 2), fixed.

Run: python3 udp_client.py [host [port]]   (default localhost 12000)
Sends each line you type as one datagram (until end of input, Ctrl-D) and prints the reply.
Exits 1 if a line never got a reply.
"""
import sys
from socket import *

serverName = sys.argv[1] if len(sys.argv) > 1 else 'localhost'
serverPort = int(sys.argv[2]) if len(sys.argv) > 2 else 12000
# fix: explicit UTF-8 for the keyboard and the screen; bytes that are not UTF-8 pass through
sys.stdin.reconfigure(encoding='utf-8', errors='surrogateescape')
sys.stdout.reconfigure(encoding='utf-8', errors='surrogateescape', line_buffering=True)
prompt = 'Input lowercase sentence:' if sys.stdin.isatty() else ''
lostOne = False
try:
    with socket(AF_INET, SOCK_DGRAM) as clientSocket:  # fix: closed however we leave
        clientSocket.connect((serverName, serverPort))  # only the server's datagrams come in
        while True:  # every line, not only the first
            try:
                message = input(prompt).encode('utf-8', 'surrogateescape')
            except EOFError:
                break
            # fix: drop a late reply to an earlier line, or it would pass for the reply to this one
            clientSocket.setblocking(False)
            try:
                while True:
                    clientSocket.recv(65535)
            except (BlockingIOError, ConnectionRefusedError):
                pass  # nothing left
            clientSocket.settimeout(1)  # fix: a datagram may be lost: wait 1 s, not forever
            for tries in range(3):      # fix: 3 tries
                clientSocket.send(message)
                try:
                    modifiedMessage = clientSocket.recv(65535)  # fix: room for the largest reply
                    print(modifiedMessage.decode('utf-8', 'surrogateescape'))
                    break
                except (timeout, ConnectionRefusedError):
                    pass  # no reply (yet)
            else:
                print('udp_client.py: no reply from %s:%s after 3 tries' % (serverName, serverPort),
                      file=sys.stderr)
                lostOne = True
except OSError as e:  # one line, not a traceback: unknown host, line too long, ...
    sys.exit('udp_client.py: %s:%s: %s' % (serverName, serverPort, e))
sys.exit(1 if lostOne else 0)
