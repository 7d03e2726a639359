"""A minimal FastCGI client (FastCGI 1.0 specification, responder role) for tests that talk to
FCGIApp without a web server in between, and that need control over when the body arrives."""
import socket
import struct

VERSION, BEGIN_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR = 1, 1, 3, 4, 5, 6, 7
RESPONDER = 1
REQUEST_ID = 1


def _record(kind: int, content: bytes) -> bytes:
    padding = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBx", VERSION, kind, REQUEST_ID, len(content), padding) + content + b"\0" * padding


def _name_value(name: bytes, value: bytes) -> bytes:
    def length(n):
        return struct.pack(">B", n) if n < 128 else struct.pack(">I", n | 0x80000000)
    return length(len(name)) + length(len(value)) + name + value


class FastCGIConnection:
    def __init__(self, socket_path: str, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(socket_path)

    def begin(self, params: dict):
        self.sock.sendall(_record(BEGIN_REQUEST, struct.pack(">HB5x", RESPONDER, 0)))
        encoded = b"".join(_name_value(k.encode(), v.encode()) for k, v in params.items())
        self.sock.sendall(_record(PARAMS, encoded) + _record(PARAMS, b""))

    def send_body(self, chunk: bytes):
        if chunk:
            self.sock.sendall(_record(STDIN, chunk))

    def end_body(self):
        self.sock.sendall(_record(STDIN, b""))

    def read_response(self):
        """Returns (status, headers dict with lowercased names, body bytes)."""
        stdout = b""
        buffer = b""
        while True:
            data = self.sock.recv(65536)
            if not data:
                break
            buffer += data
            while len(buffer) >= 8:
                _, kind, _, length, padding = struct.unpack(">BBHHBx", buffer[:8])
                if len(buffer) < 8 + length + padding:
                    break
                content = buffer[8:8 + length]
                buffer = buffer[8 + length + padding:]
                if kind == STDOUT:
                    stdout += content
                elif kind == END_REQUEST:
                    self.sock.close()
                    return parse_cgi_output(stdout)
        self.sock.close()
        return parse_cgi_output(stdout)


def parse_cgi_output(output: bytes):
    head, _, body = output.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode().split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers, body


def request(socket_path: str, method: str, uri: str, body: bytes = b"", content_type: str = ""):
    connection = FastCGIConnection(socket_path)
    path, _, query = uri.partition("?")
    params = {"REQUEST_METHOD": method, "REQUEST_URI": uri, "QUERY_STRING": query, "SCRIPT_NAME": path,
              "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(body))}
    if content_type:
        params["CONTENT_TYPE"] = content_type
    connection.begin(params)
    connection.send_body(body)
    connection.end_body()
    return connection.read_response()
