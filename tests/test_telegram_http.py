"""The Bot API connection backend against a real socket server answering in each of HTTP/1.1's
ways: with a length, chunked, closing after the answer, closing an idle connection, silent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from telegram.error import NetworkError, TimedOut

from bot.telegram_http import StreamRequest

OK = b'{"ok": true, "result": {"n": 1}}'


@dataclass
class Server:
    """Answers each request as `mode` says; counts connections and requests."""

    mode: str = "length"
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        while head := await reader.readuntil(b"\r\n\r\n"):
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            self.requests.append(await reader.readexactly(length))
            if self.mode == "silent":
                await asyncio.sleep(5)
            elif self.mode == "chunked":
                writer.write(
                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (OK[:10], OK[10:]))
                    + b"0\r\n\r\n"
                )
            else:
                close = self.mode in ("close", "drop-idle")
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s"
                    % (len(OK), b"Connection: close\r\n" if self.mode == "close" else b"", OK)
                )
                await writer.drain()
                if close:
                    writer.close()
                    return
            await writer.drain()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    fake = Server()
    listening = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    fake.url = f"http://127.0.0.1:{port}/botTOKEN/getMe"
    async with listening:
        yield fake


@pytest.fixture
async def request_() -> AsyncIterator[StreamRequest]:
    backend = StreamRequest(read_timeout=1.0, connect_timeout=1.0)
    await backend.initialize()
    yield backend
    await backend.shutdown()


@pytest.mark.parametrize("mode", ["length", "chunked"])
async def test_answers_are_read_and_the_connection_kept(
    server: Server, request_: StreamRequest, mode: str
) -> None:
    server.mode = mode
    for _ in range(3):
        assert await request_.post(server.url) == {"n": 1}
    assert (server.connections, len(server.requests)) == (1, 3)


async def test_connection_closed_by_the_server_is_not_reused(
    server: Server, request_: StreamRequest
) -> None:
    server.mode = "close"
    for _ in range(2):
        assert await request_.post(server.url) == {"n": 1}
    assert server.connections == 2


async def test_idle_connection_the_server_dropped_is_replaced(
    server: Server, request_: StreamRequest
) -> None:
    """The server closes a kept-alive connection without saying so (an idle timeout): the next
    call goes out once, on a new connection."""
    server.mode = "drop-idle"
    assert await request_.post(server.url) == {"n": 1}
    await asyncio.sleep(0.05)
    assert await request_.post(server.url) == {"n": 1}
    assert (server.connections, len(server.requests)) == (2, 2)


async def test_silent_server_times_out(server: Server, request_: StreamRequest) -> None:
    server.mode = "silent"
    with pytest.raises(TimedOut):
        await request_.post(server.url)


async def test_refused_connection_is_a_network_error(request_: StreamRequest) -> None:
    with pytest.raises(NetworkError):
        await request_.post("http://127.0.0.1:9/botTOKEN/getMe")
