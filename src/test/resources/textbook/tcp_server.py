#!/usr/bin/env python3
"""The textbook's Python TCPServer (Kurose/Ross ch. 2), changed only to run on Python 3 and
to be run by tests: usage  tcp_server.py PORT_FILE [--textbook]

Listens on 127.0.0.1, port 0 (the kernel picks), writes the port number to PORT_FILE (atomically:
temp file + rename) and then prints one ready line to stderr. One client at a time (listen(1)):
accept, ONE recv(1024), upper-case, ONE send, close. Those textbook defects are kept on purpose.
  default      bytes.upper() (ASCII letters only); a client's reset does not stop the server.
  --textbook   exactly the book's Python 3 code: decode(), str.upper(), encode(); any error
               (e.g. a UTF-8 character cut at byte 1,024) kills the server, as in the book.
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

portFile, textbook = sys.argv[1], '--textbook' in sys.argv[2:]
signal.signal(signal.SIGINT, signal.SIG_DFL)
threading.Thread(target=stop_on_stdin_eof, daemon=True).start()
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind(('127.0.0.1', 0))
serverSocket.listen(1)
write_port_file(portFile, serverSocket.getsockname()[1])
print('The server is ready to receive', file=sys.stderr, flush=True)
while True:
    connectionSocket, addr = serverSocket.accept()
    if textbook:
        sentence = connectionSocket.recv(1024).decode()
        capitalizedSentence = sentence.upper()
        connectionSocket.send(capitalizedSentence.encode())
        connectionSocket.close()
        continue
    try:
        sentence = connectionSocket.recv(1024)
        connectionSocket.send(sentence.upper())
    except OSError:
        pass
    connectionSocket.close()
