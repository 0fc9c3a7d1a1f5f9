"""The Bot API connection backend against a real socket server answering in each of HTTP/1.1's
ways: with a length, chunked, closing after the answer, closing an idle connection, silent;
Telegram's refusals read by `call` as python-telegram-bot reads them; and calls through an
outgoing proxy (a real CONNECT tunnel, TLS inside it)."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import trustme
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.telegram_http import StreamRequest

OK = b'{"ok": true, "result": {"n": 1}}'


@dataclass
class Server:
    """Answers each request as `mode` says; counts connections and requests."""

    mode: str = "length"
    answer: tuple[int, bytes] = (200, OK)
    """Status and body in mode `length`."""
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
                status, body = self.answer
                writer.write(
                    b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n%s\r\n%s"
                    % (
                        status,
                        len(body),
                        b"Connection: close\r\n" if self.mode == "close" else b"",
                        body,
                    )
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


async def test_silent_server_times_out(server: Server) -> None:
    server.mode = "silent"
    backend = StreamRequest(read_timeout=0.2, connect_timeout=0.2)
    with pytest.raises(TimedOut):
        await backend.post(server.url)
    with pytest.raises(TimedOut):
        await backend.call(server.url, {"chat_id": 1})
    await backend.shutdown()


async def test_refused_connection_is_a_network_error(request_: StreamRequest) -> None:
    with pytest.raises(NetworkError):
        await request_.post("http://127.0.0.1:9/botTOKEN/getMe")


async def test_call_posts_json_and_returns_the_result(
    server: Server, request_: StreamRequest
) -> None:
    parameters = {"chat_id": "42", "text": "Xin chào anh/chị", "reply_markup": {"a": [1]}}
    assert await request_.call(server.url, parameters) == {"n": 1}
    assert json.loads(server.requests[0]) == parameters


def _refusal(status: int, description: str, **parameters: object) -> bytes:
    body = {"ok": False, "error_code": status, "description": description}
    return json.dumps({**body, "parameters": parameters} if parameters else body).encode()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        pytest.param((400, _refusal(400, "Bad Request: chat not found")), BadRequest, id="400"),
        pytest.param((401, _refusal(401, "Unauthorized")), InvalidToken, id="401"),
        pytest.param((403, _refusal(403, "Forbidden: bot was blocked")), Forbidden, id="403"),
        pytest.param((404, _refusal(404, "Not Found")), InvalidToken, id="404"),
        pytest.param((409, _refusal(409, "Conflict")), Conflict, id="409"),
        pytest.param((429, _refusal(429, "Too Many", retry_after=3)), RetryAfter, id="429"),
        pytest.param((400, _refusal(400, "migrated", migrate_to_chat_id=-1)), ChatMigrated),
        pytest.param((500, _refusal(500, "Internal")), NetworkError, id="500"),
        pytest.param((502, b"<html>Bad Gateway</html>"), NetworkError, id="502-html"),
        pytest.param((200, b"<html>"), TelegramError, id="200-not-json"),
    ],
)
async def test_call_raises_what_python_telegram_bot_raises(
    server: Server,
    request_: StreamRequest,
    answer: tuple[int, bytes],
    error: type[Exception],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # retry_after as a timedelta, without a warning
    server.answer = answer
    with pytest.raises(error) as by_call:
        await request_.call(server.url, {"chat_id": 1})
    with pytest.raises(error) as by_library:
        await request_.post(server.url)
    assert type(by_call.value) is type(by_library.value)
    assert by_call.value.message == by_library.value.message or answer[0] in (200, 502)


@dataclass
class Proxy:
    """An outgoing proxy: opens the tunnels asked for by CONNECT (or refuses them with
    `refuse`), then carries the bytes both ways; notes each CONNECT's head."""

    refuse: bytes = b""
    heads: list[bytes] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        self.heads.append(head)
        if self.refuse:
            writer.write(self.refuse)
            writer.close()
            return
        host, port = head.split()[1].decode().rsplit(":", 1)
        far_reader, far_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, far_writer), pipe(far_reader, writer))


@pytest.fixture
async def proxy() -> AsyncIterator[Proxy]:
    fake = Proxy()
    listening = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
    fake.url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}"
    async with listening:
        yield fake


@pytest.fixture
async def tls_server(server: Server) -> AsyncIterator[tuple[Server, ssl.SSLContext]]:
    """`server` answering over TLS as `localhost` too, with a client context trusting it."""
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=server_context)
    server.url = f"https://localhost:{listening.sockets[0].getsockname()[1]}/botTOKEN/getMe"
    async with listening:
        yield server, client_context


async def test_calls_go_through_the_proxy_in_a_kept_tls_tunnel(
    tls_server: tuple[Server, ssl.SSLContext], proxy: Proxy
) -> None:
    """HTTPS_PROXY set (as behind a government network's proxy): one CONNECT to the Bot API
    host, TLS checked against the host's name inside it, and the tunnel kept for the next
    call."""
    server, trusted = tls_server
    backend = StreamRequest(proxies={"https": proxy.url}, tls=trusted)
    for _ in range(2):
        assert await backend.call(server.url, {"chat_id": 1}) == {"n": 1}
    await backend.shutdown()
    port = server.url.split(":")[2].split("/")[0]
    assert [h.split(b"\r\n")[0] for h in proxy.heads] == [
        f"CONNECT localhost:{port} HTTP/1.1".encode()
    ]
    assert (server.connections, len(server.requests)) == (1, 2)


async def test_the_proxy_credentials_travel_with_the_connect(server: Server, proxy: Proxy) -> None:
    authorised = proxy.url.replace("http://", "http://ocop:p%40ss@")
    backend = StreamRequest(proxies={"all": authorised})
    assert await backend.post(server.url) == {"n": 1}
    await backend.shutdown()
    assert b"Proxy-Authorization: Basic b2NvcDpwQHNz\r\n" in proxy.heads[0]  # ocop:p@ss


async def test_hosts_in_no_proxy_are_reached_directly(server: Server, proxy: Proxy) -> None:
    backend = StreamRequest(proxies={"http": proxy.url, "no": "example.org, 127.0.0.1"})
    assert await backend.post(server.url) == {"n": 1}
    await backend.shutdown()
    assert (proxy.heads, server.connections) == ([], 1)


async def test_a_proxy_refusing_the_tunnel_is_a_network_error(
    server: Server, proxy: Proxy
) -> None:
    proxy.refuse = b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
    backend = StreamRequest(proxies={"http": proxy.url})
    with pytest.raises(NetworkError, match="407"):
        await backend.call(server.url, {"chat_id": 1})
    await backend.shutdown()
    assert server.connections == 0
