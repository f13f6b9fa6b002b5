"""Settings for Zhiliang: one module, driven by environment variables (see README, 配置)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from zhiliang.config.env import env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent  # the zhiliang package
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("ZHILIANG_DATA_DIR", str(REPO_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "zhiliang.regions",
    "zhiliang.departments",
    "zhiliang.accounts",
    "zhiliang.plans",
    "zhiliang.supervision",
    "zhiliang.alerts",
    "zhiliang.credit",
    "zhiliang.assessment",
    "zhiliang.jobs",
    "zhiliang.web",
    "zhiliang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "zhiliang.config.urls"
WSGI_APPLICATION = "zhiliang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhiliang.accounts.context_processors.current_role",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (e.g. postgres://user@host/db) switches engine.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "zhiliang.sqlite3",
            "OPTIONS": {
                # Waiting beats failing when the web server and the worker write at once.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts-login"
LOGIN_REDIRECT_URL = "plans-list"
LOGOUT_REDIRECT_URL = "accounts-login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Uploaded plan documents are read in memory; this bounds one request.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
PLAN_UPLOAD_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhiliang API",
    "DESCRIPTION": "质量发展行动计划：计划、任务、责任单位与部门的只读接口。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# One cache for rate limits and throttling. Redis when REDIS_URL is set (shared by every
# gunicorn worker); otherwise per-process memory, which is fine for one small server.
_redis_url = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhiliang"}
    )
}
RATELIMIT_USE_CACHE = "default"
# Behind a reverse proxy, set to the header carrying the client address (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or None
PUBLIC_SEARCH_RATE = env_str("PUBLIC_SEARCH_RATE", "60/m")
PUBLIC_REPORT_RATE = env_str("PUBLIC_REPORT_RATE", "") or PUBLIC_SEARCH_RATE
# Failed sign-ins allowed per client address and per username (django-ratelimit rates).
LOGIN_FAILURES_PER_IP = env_str("LOGIN_FAILURES_PER_IP", "30/15m")
LOGIN_FAILURES_PER_USERNAME = env_str("LOGIN_FAILURES_PER_USERNAME", "5/15m")
# Largest evidence attachment a unit may upload with a progress report.
SUPERVISION_EVIDENCE_MAX_BYTES = env_int("SUPERVISION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zhiliang@localhost")

# Deadline reminders (zhiliang.alerts): days before a reporting date, then overdue alerts on the
# first day past it and every ALERT_OVERDUE_REPEAT_DAYS after that while the report is owed.
ALERT_REMINDER_DAYS_BEFORE = env_list("ALERT_REMINDER_DAYS_BEFORE", ["7", "1"])
ALERT_OVERDUE_REPEAT_DAYS = env_int("ALERT_OVERDUE_REPEAT_DAYS", 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
