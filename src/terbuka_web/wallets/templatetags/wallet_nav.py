"""Template tag of the wallets app: {% wallet_officer_nav %} links an officer to the wallet
pages their role allows (the enrolment desk, settlements, the grievance queue), or nothing."""

from __future__ import annotations

from typing import Any

from django import template

from terbuka_web.accounts.selectors import Action, user_can

register = template.Library()


@register.inclusion_tag("wallets/_officer_nav.html", takes_context=True)
def wallet_officer_nav(context: dict[str, Any]) -> dict[str, Any]:
    """Return the links of wallets/_officer_nav.html the logged-in user may use."""
    request = context["request"]
    user = request.user
    agency = getattr(user, "agency", None)
    links = []
    if user_can(user, Action.WALLET_ENROL, agency):
        links.append("desk")
    if user_can(user, Action.MERCHANT_APPROVE, agency):
        links += ["settlements", "grievances"]
    return {"links": links, "current": request.resolver_match.url_name}
