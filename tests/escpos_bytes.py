"""Reading printed ESC/POS bytes back in tests: what the printer was told to print as a QR code."""
from __future__ import annotations

QR_STORE = b"1P0"  # GS ( k, cn 49 (QR code), fn 80 (store the data), m 48


def qr_payloads(data: bytes) -> list[str]:
    """The data of every QR code the bytes tell the printer to store (``GS ( k pL pH 1 P 0 data``)."""
    found, i = [], data.find(b"\x1d(k")
    while i >= 0:
        size = data[i + 3] + 256 * data[i + 4]
        body = data[i + 5:i + 5 + size]
        if body.startswith(QR_STORE):
            found.append(body[len(QR_STORE):].decode("utf-8"))
        i = data.find(b"\x1d(k", i + 5 + size)
    return found
