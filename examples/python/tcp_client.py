#!/usr/bin/env python3
"""The textbook's Python TCPClient (Kurose/Ross ch. 2), fixed.

Run: python3 tcp_client.py [host [port]]   (default localhost 12000)
Sends each line you type (until end of input, Ctrl-D) and prints the server's reply.
"""
import sys
from socket import *

serverName = sys.argv[1] if len(sys.argv) > 1 else 'localhost'
serverPort = int(sys.argv[2]) if len(sys.argv) > 2 else 12000
# fix: explicit UTF-8 for the keyboard and the screen; bytes that are not UTF-8 pass through
sys.stdin.reconfigure(encoding='utf-8', errors='surrogateescape')
sys.stdout.reconfigure(encoding='utf-8', errors='surrogateescape', line_buffering=True)
prompt = 'Input lowercase sentence:' if sys.stdin.isatty() else ''
try:
    with socket(AF_INET, SOCK_STREAM) as clientSocket:  # fix: closed however we leave
        clientSocket.settimeout(10)  # fix: a silent server is reported, not waited for
        clientSocket.connect((serverName, serverPort))
        fromServer = clientSocket.makefile('rb')
        while True:  # every line, not only the first
            try:
                sentence = input(prompt)
            except EOFError:
                break
            # fix: sendall, not send; and a line end, which line-based servers (the book's Java
            # TCPServer) wait for
            clientSocket.sendall((sentence + '\n').encode('utf-8', 'surrogateescape'))
            # fix: read the whole reply line, not one recv(1024) (which may hold only "HEL")
            modifiedSentence = fromServer.readline()
            if not modifiedSentence.endswith(b'\n'):
                raise ConnectionError('the server closed the connection')
            print('From Server:', modifiedSentence[:-1].decode('utf-8', 'surrogateescape'))
except OSError as e:  # one line, not a traceback: refused, unknown host, timed out, closed
    sys.exit('tcp_client.py: %s:%s: %s' % (serverName, serverPort, e))
