from django.http import HttpRequest

from zhiliang.accounts.access import membership_of


def current_role(request: HttpRequest) -> dict:
    return {"membership": membership_of(request.user)}
