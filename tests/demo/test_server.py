"""The fixture and demo server (accesscheck.demo.server): a client that stops reading is not an error."""

from __future__ import annotations

import socket
import struct
import time

from accesscheck.demo.server import serve


def test_a_client_that_hangs_up_midway_prints_no_traceback(tmp_path, capfd):
    (tmp_path / "big.bin").write_bytes(b"x" * 30_000_000)  # more than the socket buffers hold
    with serve(tmp_path) as server:
        host, port = server.origin.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(100).startswith(b"HTTP/1.")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
        time.sleep(2)  # the handler's write fails once the reset arrives
    assert "/big.bin" in server.hits
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err
