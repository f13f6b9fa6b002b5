"""HTML pages. Browsing pages and management pages (import, review, export) keep their own routes."""

from zhiliang.web.urls_browse import urlpatterns as browse_urls
from zhiliang.web.urls_decomposition import urlpatterns as decomposition_urls
from zhiliang.web.urls_manage import urlpatterns as manage_urls

urlpatterns = [*browse_urls, *manage_urls, *decomposition_urls]
