#!/usr/bin/env python3
"""The textbook's Python TCPServer (Kurose/Ross ch. 2), fixed.

Run: python3 tcp_server.py [port]   (default 12000; 0 lets the system pick)
Answers everything each client sends, in UPPERCASE, until the client closes.
"""
import codecs, sys, threading
from socket import *

def upper(text):
    # fix: str.upper() is Unicode and locale-independent ('ß' -> 'SS'); bytes.upper() is
    # ASCII only. Bytes that are not UTF-8 become surrogates and come back unchanged.
    return text.upper().encode('utf-8', 'surrogateescape')

def serve(connectionSocket):
    # fix: a character cut between two recv()s waits for its last bytes (decode() died on it)
    decoder = codecs.getincrementaldecoder('utf-8')('surrogateescape')
    with connectionSocket:  # fix: closed however we leave
        try:
            # fix: everything the client sends, not one recv(1024)
            while sentence := connectionSocket.recv(4096):
                connectionSocket.sendall(upper(decoder.decode(sentence)))  # fix: sendall, not send
            connectionSocket.sendall(upper(decoder.decode(b'', final=True)))
        except OSError as e:  # a client's reset ends its connection, not the server
            print('tcp_server.py:', e, file=sys.stderr)

serverPort = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
with socket(AF_INET, SOCK_STREAM) as serverSocket:
    serverSocket.bind(('', serverPort))
    serverSocket.listen()  # fix: the system's backlog, not listen(1)
    print('The server is ready to receive on port', serverSocket.getsockname()[1], flush=True)
    while True:
        connectionSocket, addr = serverSocket.accept()
        # fix: a thread per client, so an idle client no longer blocks the others
        threading.Thread(target=serve, args=(connectionSocket,), daemon=True).start()
