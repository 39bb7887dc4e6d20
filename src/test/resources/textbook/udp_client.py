#!/usr/bin/env python3
"""The textbook's Python UDPClient, changed only to run on Python 3 and non-interactively:
usage  udp_client.py HOST PORT LINE

Sends LINE as UTF-8 in one datagram (IPv4), does ONE recvfrom(2048) and prints the reply
decoded as UTF-8 (invalid bytes print as U+FFFD). A 5 s socket timeout stands in for the
book's endless wait on a lost datagram; a socket error or timeout prints one line to
stderr and exits 1.
LINE '-' sends the bytes of stdin (to EOF) instead: a JVM in a non-UTF-8 locale cannot
pass non-ASCII text as an argument (sun.jnu.encoding turns it into '?').
"""
import sys
from socket import *

serverName, serverPort, message = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = sys.stdin.buffer.read() if message == '-' else message.encode()
sys.stdout.reconfigure(encoding='utf-8')
try:
    clientSocket = socket(AF_INET, SOCK_DGRAM)
    clientSocket.settimeout(5)
    clientSocket.sendto(data, (serverName, serverPort))
    modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
    clientSocket.close()
except OSError as e:
    sys.exit('udp_client.py: %s' % (e,))
print(modifiedMessage.decode('utf-8', 'replace'))
