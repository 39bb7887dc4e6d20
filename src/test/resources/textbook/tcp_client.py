#!/usr/bin/env python3
"""The textbook's Python TCPClient, changed only to run on Python 3 and non-interactively:
usage  tcp_client.py HOST PORT LINE

Connects (IPv4), sends LINE as UTF-8 with no newline (like the book), does ONE recv(1024)
and prints the reply decoded as UTF-8 (invalid bytes print as U+FFFD). A 5 s socket
timeout keeps a test from hanging; a socket error or timeout prints one line to stderr
and exits 1.
LINE '-' sends the bytes of stdin (to EOF) instead: a JVM in a non-UTF-8 locale cannot
pass non-ASCII text as an argument (sun.jnu.encoding turns it into '?').
"""
import sys
from socket import *

serverName, serverPort, sentence = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = sys.stdin.buffer.read() if sentence == '-' else sentence.encode()
sys.stdout.reconfigure(encoding='utf-8')
try:
    clientSocket = socket(AF_INET, SOCK_STREAM)
    clientSocket.settimeout(5)
    clientSocket.connect((serverName, serverPort))
    clientSocket.send(data)
    modifiedSentence = clientSocket.recv(1024)
    clientSocket.close()
except OSError as e:
    sys.exit('tcp_client.py: %s' % (e,))
print(modifiedSentence.decode('utf-8', 'replace'))
