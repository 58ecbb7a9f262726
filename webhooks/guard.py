"""Outgoing requests of webhooks: to public addresses only, unless an allow-list names the target.

A hook's URL is resolved once per attempt; every address it resolves to must be public (not private,
loopback, link-local, multicast, reserved or unspecified), or the host or a network holding the
address must be in ``WORKBENCH_WEBHOOK_ALLOWED_HOSTS``. The request then connects to the address that
was checked (the IP is pinned), so a second DNS answer cannot swap in an internal one, and redirects
are not followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from corpus.errors import InvalidInput


class AddressRefused(InvalidInput):
    code = "address_refused"


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the request connects to


def allowed(host: str, address: str) -> bool:
    ip = ipaddress.ip_address(address)
    for entry in settings.WORKBENCH_WEBHOOK_ALLOWED_HOSTS:
        if entry.lower() == host.lower():
            return True
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str) -> Target:
    """The target of ``url`` if it may be called; AddressRefused (400, address_refused) otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("A webhook URL must be http or https with a host.", detail={"field": "url"})
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(f"The host {host} does not resolve: {error}", detail={"field": "url"}) from None
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        if not public(address) and not allowed(host, address):
            raise AddressRefused(
                f"The host {host} resolves to {address}, a private or loopback address; "
                "name it in WORKBENCH_WEBHOOK_ALLOWED_HOSTS to allow it.",
                detail={"field": "url"},
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to the checked address; returns the status code (redirects are not followed)."""
    connection_class = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(target.host, target.port, timeout=timeout)
    pinned = target.address

    def connect(address, *args, **kwargs):
        return socket.create_connection((pinned, address[1]), *args, **kwargs)

    connection._create_connection = (
        connect  # the socket goes to the checked address; TLS still checks the name
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        connection.close()
