"""Read a response body with a hard cap on DECOMPRESSED bytes.

Decodes Content-Encoding (gzip, deflate, identity) itself with zlib's
``max_length`` so a gzip bomb is inflated in small slices and abandoned as
soon as the cap is passed; memory stays near the cap whatever the ratio.
Touches: the httpx response stream it is given.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

import httpx

from monitor.errors import BodyTooLargeError, FetchError

SLICE = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = {"", "identity"}
_GZIP = {"gzip", "x-gzip"}


class DecodingError(FetchError):
    """The body does not decode with its declared Content-Encoding."""


class _Inflater:
    """Incremental gzip/deflate decoder yielding output slices of at most SLICE bytes."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._pending = b""
        self._decoder: zlib._Decompress | None = None
        if encoding in _GZIP:
            self._decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def _start_deflate(self, data: bytes) -> bytes:
        """Deflate is zlib-wrapped per RFC, but some servers send it raw: sniff."""
        data = self._pending + data
        if len(data) < 2:
            self._pending = data
            return b""
        self._pending = b""
        wrapped = (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
        self._decoder = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return data

    def feed(self, data: bytes) -> list[bytes]:
        if self._decoder is None:
            data = self._start_deflate(data)
            if self._decoder is None:
                return []
        return self._drain(data)

    def _drain(self, data: bytes) -> list[bytes]:
        assert self._decoder is not None
        out: list[bytes] = []
        try:
            while True:
                piece = self._decoder.decompress(data, SLICE)
                if piece:
                    out.append(piece)
                data = self._decoder.unconsumed_tail
                if self._decoder.eof or (not data and len(piece) < SLICE):
                    return out
        except zlib.error as e:
            raise DecodingError(f"cannot decode {self._encoding} body: {e}") from e

    def finish(self) -> bytes:
        if self._decoder is None:
            if self._pending:
                raise DecodingError(f"cannot decode {self._encoding} body: truncated")
            return b""
        try:
            return self._decoder.flush()
        except zlib.error as e:
            raise DecodingError(f"cannot decode {self._encoding} body: {e}") from e


def _too_large(cap: int) -> BodyTooLargeError:
    return BodyTooLargeError(f"body exceeds {cap / (1024 * 1024):g} MiB")


async def _decoded(response: httpx.Response) -> AsyncIterator[bytes]:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    raw = response.aiter_raw()
    if encoding in _IDENTITY:
        async for chunk in raw:
            yield chunk
        return
    if encoding not in _GZIP and encoding != "deflate":
        raise DecodingError(f"unsupported Content-Encoding {encoding!r}")
    inflater = _Inflater(encoding)
    async for chunk in raw:
        for piece in inflater.feed(chunk):
            yield piece
    tail = inflater.finish()
    if tail:
        yield tail


async def read_capped(response: httpx.Response, cap: int) -> bytes:
    """The decoded body, or BodyTooLargeError as soon as it passes ``cap`` bytes."""
    declared = response.headers.get("content-length", "")
    identity = response.headers.get("content-encoding", "").strip().lower() in _IDENTITY
    if identity and declared.isdigit() and int(declared) > cap:
        raise _too_large(cap)
    body = bytearray()
    async for piece in _decoded(response):
        body += piece
        if len(body) > cap:
            raise _too_large(cap)
    return bytes(body)
