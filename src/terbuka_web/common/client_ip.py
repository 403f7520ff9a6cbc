"""Find a request's client address behind the trusted reverse proxies (TERBUKA_TRUSTED_PROXIES).

Login throttling (django-axes, AXES_CLIENT_IP_CALLABLE) keys on this address: behind a proxy
REMOTE_ADDR is the proxy for everyone, and an X-Forwarded-For that no trusted proxy wrote is
whatever the client chose to send.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from terbuka_web.config.env import SettingError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies_parse(value: str) -> tuple[Network, ...]:
    """Return the networks of value, a comma-separated list of IP addresses and CIDRs.

    Example: "10.0.0.1, 192.168.0.0/24" → (10.0.0.1/32, 192.168.0.0/24); "" → ().
    Raises SettingError (an ImproperlyConfigured) naming the item that is neither.
    """
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise SettingError(
                "TERBUKA_TRUSTED_PROXIES",
                f"{item!r} bukan alamat IP atau CIDR",
                f"{item!r} is not an IP address or CIDR",
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return text as an IP address, or None when it is not one."""
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    """Report whether address lies in one of settings.TRUSTED_PROXIES."""
    return address is not None and any(address in net for net in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client that sent request.

    REMOTE_ADDR, unless it is a trusted proxy: then X-Forwarded-For is read right to left,
    skipping trusted proxies, and the first other address is the client (a proxy appends
    the address it received from, so everything left of that hop was written by the client
    and is ignored). When every hop is trusted, the leftmost one; when the first untrusted
    entry is not an IP address, the last trusted hop before it.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not _trusted(remote):
        return str(request.META.get("REMOTE_ADDR", ""))
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not _trusted(address):
            break
    return str(client)
