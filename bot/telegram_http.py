"""Bot API calls over kept-alive HTTP/1.1 connections on asyncio streams, for python-telegram-bot.

Measured with `bench/webhook.py`, a call through httpx cost the webhook process about half as
much CPU as handling a whole update; most of it was httpx's connection pool. Here a call is one
write and a parsed answer on a connection taken from a stack of idle ones. Calls that upload a
file (multipart) go through python-telegram-bot's own HTTPXRequest.

The replies' calls (`TelegramSender`) go by `call`: plain dicts posted as JSON and the answer's
result read back as JSON, Telegram's refusals raised as python-telegram-bot's errors
(`RetryAfter`, `Forbidden`, ...) as its own calls raise them. Building python-telegram-bot's
objects on the way out (keyboards, form fields) and back (the sent `Message`) was most of a
call's cost.

Behind an outgoing proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, with `NO_PROXY`, as curl
and httpx read them), a connection is a tunnel the proxy opens with CONNECT, then TLS to the
Bot API host inside it.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import orjson
from telegram._utils.types import ODVInput  # the type BaseRequest.do_request declares
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
from telegram.request import BaseRequest, HTTPXRequest, RequestData

_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]
_Key = tuple[str, int, bool, str]
"""Where a connection goes: host, port, TLS, and the proxy it tunnels through ("" direct)."""
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
_REFUSALS: dict[int, type[TelegramError]] = {
    400: BadRequest,
    401: InvalidToken,
    403: Forbidden,
    404: InvalidToken,
    409: Conflict,
}
"""Telegram's refusals by HTTP status, as python-telegram-bot reads them; others (502, ...)
are network errors, worth trying again."""
_MAX_HEADER_LINES = 100


class _Closed(Exception):
    """The server closed a kept-alive connection before answering."""


class StreamRequest(BaseRequest):
    """A python-telegram-bot request backend: one host, at most `connections` idle
    connections kept, form-encoded calls like HTTPXRequest's (so answers are the same)."""

    def __init__(
        self,
        *,
        connections: int = 64,
        read_timeout: float = 15.0,
        connect_timeout: float = 10.0,
        uploads: HTTPXRequest | None = None,
        proxies: Mapping[str, str] | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """`proxies`: by scheme (`https`, `http`, `all`, and `no` for the hosts reached
        directly), as `urllib.request.getproxies` reads them from the environment (the
        default). `tls`: the context that checks the Bot API's certificate (default: the
        system's)."""
        self._idle: dict[_Key, list[_Connection]] = {}
        self._keep = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._uploads = uploads or HTTPXRequest(
            connection_pool_size=8, read_timeout=read_timeout, connect_timeout=connect_timeout
        )
        self._proxies = dict(urllib.request.getproxies() if proxies is None else proxies)
        self._direct = tuple(
            name
            for entry in self._proxies.get("no", "").split(",")
            if (name := entry.strip().lstrip(".").lower())
        )
        """NO_PROXY's hosts (and their subdomains; "*" for every host), read once."""
        self._tls = tls

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call names none."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Ready the upload backend (connections open on first use)."""
        await self._uploads.initialize()

    async def shutdown(self) -> None:
        """Close every idle connection and the upload backend."""
        for connections in self._idle.values():
            for _, writer in connections:
                writer.close()
        self._idle.clear()
        await self._uploads.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call: (HTTP status, body). Raises TimedOut or NetworkError."""
        if request_data is not None and request_data.contains_files:
            return await self._uploads.do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        if request_data is None:
            body, content_type = b"", _FORM
        else:
            body, content_type = request_data.url_encoded_parameters().encode(), _FORM
        timeout = read_timeout if isinstance(read_timeout, int | float) else self._read_timeout
        return await self._request(url, method, body, content_type, timeout)

    async def call(self, url: str, parameters: dict[str, Any]) -> Any:
        """POST `parameters` as JSON and return the call's result; Telegram's refusals raise
        python-telegram-bot's errors, as `BaseRequest.post` raises them."""
        body = orjson.dumps(parameters)
        return _result(*await self._request(url, "POST", body, _JSON, self._read_timeout))

    async def _request(
        self, url: str, method: str, body: bytes, content_type: str, timeout: float | None
    ) -> tuple[int, bytes]:
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        host = parts.hostname or ""
        key = (
            host,
            parts.port or (443 if secure else 80),
            secure,
            self._proxy(parts.scheme, host),
        )
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"User-Agent: {self.USER_AGENT}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        try:
            async with asyncio.timeout(timeout):
                return await self._exchange(key, head + body)
        except TimeoutError as exc:
            raise TimedOut from exc
        except (OSError, asyncio.IncompleteReadError, ValueError, _Closed) as exc:
            raise NetworkError(f"{type(exc).__name__}: {exc}") from exc

    def _proxy(self, scheme: str, host: str) -> str:
        """The proxy URL a call to `host` goes through ("" when none, or `host` is in
        NO_PROXY)."""
        proxy = self._proxies.get(scheme) or self._proxies.get("all") or ""
        if any(n == "*" or host == n or host.endswith("." + n) for n in self._direct):
            return ""
        return proxy

    async def _exchange(self, key: _Key, request: bytes) -> tuple[int, bytes]:
        """Send on an idle connection, or a new one when it turns out closed."""
        idle = self._idle.setdefault(key, [])
        while idle:
            connection = idle.pop()
            if connection[0].at_eof():
                connection[1].close()
                continue
            try:
                return await self._send(key, connection, request)
            except _Closed:
                continue  # closed while idle, before reading the request: send it again
        return await self._send(key, await self._open(key), request)

    async def _open(self, key: _Key) -> _Connection:
        host, port, secure, proxy = key
        tls = None
        if secure:
            tls = self._tls = self._tls or ssl.create_default_context()
        async with asyncio.timeout(self._connect_timeout):
            if not proxy:
                return await asyncio.open_connection(host, port, ssl=tls)
            reader, writer = await _tunnel(urlsplit(proxy), host, port)
            if tls is not None:
                await writer.start_tls(tls, server_hostname=host)
            return reader, writer

    async def _send(self, key: _Key, connection: _Connection, request: bytes) -> tuple[int, bytes]:
        reader, writer = connection
        try:
            writer.write(request)
            status_line = await reader.readline()
            if not status_line:
                raise _Closed("connection closed before an answer")
            status, body, keep = await _read_answer(reader, status_line)
        except BaseException:
            writer.close()
            raise
        idle = self._idle[key]
        if keep and len(idle) < self._keep:
            idle.append(connection)
        else:
            writer.close()
        return status, body


async def _tunnel(proxy: SplitResult, host: str, port: int) -> _Connection:
    """A connection to `host:port` through the proxy's CONNECT (with its credentials, if the
    proxy's URL has them); the proxy's refusal is raised as a NetworkError."""
    reader, writer = await asyncio.open_connection(proxy.hostname, proxy.port or 80)
    try:
        credentials = b""
        if proxy.username is not None:
            pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
            credentials = b"Proxy-Authorization: Basic " + base64.b64encode(pair) + b"\r\n"
        writer.write(
            f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n".encode()
            + credentials
            + b"\r\n"
        )
        status_line = await reader.readline()
        for _ in range(_MAX_HEADER_LINES):
            if await reader.readline() in (b"\r\n", b"\n", b""):
                break
        parts = status_line.split(maxsplit=2)
        if len(parts) < 2 or not parts[1].startswith(b"2"):
            raise NetworkError(f"the proxy refused the tunnel: {status_line.strip()!r}")
    except BaseException:
        writer.close()
        raise
    return reader, writer


async def _read_answer(
    reader: asyncio.StreamReader, status_line: bytes
) -> tuple[int, bytes, bool]:
    """(status, body, whether the connection may be kept) of an HTTP/1.1 answer."""
    version, status, *_ = status_line.split(maxsplit=2)
    length: int | None = None
    chunked = False
    keep = version == b"HTTP/1.1"
    for _ in range(_MAX_HEADER_LINES):
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = value.endswith(b"chunked")
        elif name == b"connection":
            keep = value != b"close"
    else:
        raise ValueError("too many header lines")
    if chunked:
        body = bytearray()
        while size := int((await reader.readline()).split(b";")[0], 16):
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return int(status), bytes(body), keep
    if length is None:
        return int(status), await reader.read(), False
    return int(status), await reader.readexactly(length), keep


def _result(status: int, payload: bytes) -> Any:
    """The result of a call's answer, or the error it names (as `BaseRequest` reads it)."""
    try:
        answer = orjson.loads(payload)
    except ValueError:
        answer = None
    if 200 <= status <= 299:
        if not isinstance(answer, dict) or "result" not in answer:
            raise TelegramError("Invalid server response")
        return answer["result"]
    answer = answer if isinstance(answer, dict) else {}
    parameters = answer.get("parameters") or {}
    if parameters.get("migrate_to_chat_id"):
        raise ChatMigrated(parameters["migrate_to_chat_id"])
    if parameters.get("retry_after"):
        raise RetryAfter(parameters["retry_after"])
    message = answer.get("description") or f"HTTP {status}"
    raise _REFUSALS.get(status, NetworkError)(message)
