"""Security headers on every response, login throttling, and who may reach the admin."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_paper

PASSWORD = "correct horse battery staple"
LOGIN_URL = "/admin/login/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests log in dozens of times; the real hasher takes a good part of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# -- headers -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz", LOGIN_URL, "/admin/", "/no/such/page/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    # e.g. {"script-src": ["'self'"], ...}
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    # e.g. {"camera": "()", ...}: "()" allows the feature to no origin, the site included.
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
    assert features["interest-cohort"] == features["browsing-topics"] == "()"


@pytest.mark.django_db
def test_in_development_pages_keep_the_policy_but_debug_error_pages_stay_readable(client, settings):
    settings.DEBUG = True
    assert "Content-Security-Policy" in client.get("/")
    debug_page = client.get("/no/such/page/")
    assert debug_page.status_code == 404
    assert "Content-Security-Policy" not in debug_page


# -- password guessing -------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password=PASSWORD, is_staff=True, is_superuser=True
    )


def log_in(client, username, password, **headers):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **headers)


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_admin_login_locks_out_after_repeated_wrong_passwords(client, editor):
    for _ in range(2):
        response = log_in(client, "editor", "guess")
        assert response.status_code == 200  # the form again, with its error
    response = log_in(client, "editor", "guess")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    # Locked out: even the right password no longer gets in from this address.
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lockout_is_for_that_user_from_that_address_only(editor, django_user_model):
    django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        log_in(attacker, "editor", "guess")
    assert log_in(attacker, "editor", PASSWORD).status_code == 429

    # The same user from the office, and another user from the attacker's address, still log in.
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "editor", PASSWORD).status_code == 302
    assert log_in(attacker, "colleague", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(2):
        log_in(client, "editor", "guess")
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert log_in(client, "editor", "guess").status_code == 200


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_it_saw_counts_and_a_forged_one_does_not(editor):
    # The proxy appends the address it saw (203.0.113.5); a client can only forge what is left.
    client = Client(REMOTE_ADDR="127.0.0.1")
    for forged in ("10.0.0.1", "10.0.0.2"):
        log_in(client, "editor", "guess", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5")
    locked = log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.3, 203.0.113.5")
    assert locked.status_code == 429
    other = log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert other.status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(editor):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for forged in ("10.0.0.1", "10.0.0.2"):
        log_in(client, "editor", "guess", HTTP_X_FORWARDED_FOR=forged)
    assert log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.3").status_code == 429


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lockout_answers_429_with_retry_after(client, editor):
    for _ in range(3):
        response = log_in(client, "editor", "guess")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"  # LOGIN_LOCKOUT_HOURS, 1 by default
    assert "Too many failed logins" in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, LOGIN_ADDRESS_FAILURE_LIMIT=6)
def test_password_spraying_from_one_address_is_locked_out(editor):
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    # One password on many user names never reaches the per-user limit of 3...
    for name in ("admin", "root", "editor", "owner", "test"):
        assert log_in(sprayer, name, "Summer2026!").status_code == 200
    # ...but the address reaches its own limit over all of them.
    response = log_in(sprayer, "webmaster", "Summer2026!")
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    # From that address not even the right password gets in now.
    assert log_in(sprayer, "editor", PASSWORD).status_code == 429
    assert "_auth_user_id" not in sprayer.session
    # The owner, elsewhere, is not affected.
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "editor", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5, LOGIN_ADDRESS_FAILURE_LIMIT=8, TRUSTED_PROXY_COUNT=1)
def test_behind_a_counted_proxy_a_strangers_failures_never_lock_the_owner_out(editor):
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    stranger = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for name in ["editor"] * 5 + ["admin", "root", "owner"]:
        log_in(proxy, name, "guess", **stranger)
    assert log_in(proxy, "editor", PASSWORD, **stranger).status_code == 429
    owner = log_in(proxy, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert owner.status_code == 302


@pytest.mark.django_db
def test_x_forwarded_for_without_a_proxy_count_is_warned_about_once(editor, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client(REMOTE_ADDR="127.0.0.1")
    with caplog.at_level("WARNING", logger="bibliography.security"):
        client.get("/")
        log_in(client, "editor", "guess", HTTP_X_FORWARDED_FOR="203.0.113.5")
        log_in(client, "editor", "guess", HTTP_X_FORWARDED_FOR="203.0.113.6")
    warnings = [r.getMessage() for r in caplog.records if r.name == "bibliography.security"]
    assert len(warnings) == 1
    assert "X-Forwarded-For but TRUSTED_PROXY_COUNT is 0" in warnings[0]
    assert "127.0.0.1" in warnings[0]


@pytest.mark.django_db
def test_a_login_that_names_a_foreign_page_lands_on_the_admin(client, editor):
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example/",
        {"username": "editor", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


# -- admin sessions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_session_ends_after_two_idle_hours_and_each_request_extends_it(client, editor):
    assert log_in(client, "editor", PASSWORD).status_code == 302
    assert client.cookies["sessionid"]["max-age"] == 2 * 3600
    session = Session.objects.get()
    # Nearly idle for two hours: the next request starts the two hours again.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/admin/").status_code == 200
    session.refresh_from_db()
    left = session.expire_date - timezone.now()
    assert timedelta(minutes=119) < left <= timedelta(hours=2)
    # Idle past them: logged out.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


@pytest.mark.django_db
def test_public_pages_set_no_session_cookie(client, editor):
    response = client.get("/")
    assert "sessionid" not in response.cookies and not Session.objects.exists()


# -- the import page's uploads -----------------------------------------------------------------


class Tripwire(io.BytesIO):
    """A request body that records whether anything read it."""

    was_read = False

    def read(self, *args):
        self.was_read = True
        return super().read(*args)


def post_huge_import(client):
    """A POST that says it carries 1 GB, as a stranger's would; nothing may read it."""
    body = Tripwire(b"x" * 100)
    response = client.post(
        reverse("admin:bibliography_paper_import_bibtex"),
        CONTENT_TYPE="multipart/form-data; boundary=zzz",
        CONTENT_LENGTH=str(2**30),
        **{"wsgi.input": body},
    )
    return response, body


@pytest.mark.django_db
def test_a_strangers_upload_to_the_import_page_gets_the_login_page_unread(client):
    response, body = post_huge_import(client)
    assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN_URL}?next=")
    assert not body.was_read
    # Nothing about the upload's size or the import's limit is said to a stranger.
    assert not list(get_messages(client.get(LOGIN_URL).wsgi_request))


@pytest.mark.django_db
def test_staff_who_may_not_import_get_403_before_the_body_is_read(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_paper"))
    client.force_login(reader)
    response, body = post_huge_import(client)
    assert response.status_code == 403 and not body.was_read


@pytest.mark.django_db
def test_an_editor_who_may_import_gets_the_size_refusal_unread(client, django_user_model):
    editor = django_user_model.objects.create_user("importer", password=PASSWORD, is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_paper", "add_paper"])
    )
    client.force_login(editor)
    response, body = post_huge_import(client)
    assert response.status_code == 302 and not body.was_read
    page = client.get(response["Location"]).content.decode()
    assert "1.0 GB" in page  # the size it declared, against the import's limit


# -- who may reach the admin -------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/",
    "/admin/bibliography/paper/",
    "/admin/bibliography/paper/add/",
    "/admin/bibliography/author/",
    "/admin/auth/user/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_user_who_is_not_staff_is_sent_to_the_login_page(client, django_user_model, path):
    client.force_login(django_user_model.objects.create_user("visitor", password=PASSWORD))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


@pytest.mark.django_db
def test_staff_without_permissions_get_403_on_every_model_page(client, django_user_model):
    paper = make_paper(title="A draft", published=False)
    client.force_login(
        django_user_model.objects.create_user("intern", password=PASSWORD, is_staff=True)
    )
    pages = [
        "/admin/bibliography/paper/",
        "/admin/bibliography/paper/add/",
        reverse("admin:bibliography_paper_change", args=[paper.pk]),
        reverse("admin:bibliography_paper_delete", args=[paper.pk]),
        "/admin/bibliography/author/",
        "/admin/bibliography/venue/add/",
        "/admin/auth/user/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You may not see this page" in response.content.decode()
        assert "A draft" not in response.content.decode()
    # Nor can they change anything by posting.
    response = client.post(
        reverse("admin:bibliography_paper_delete", args=[paper.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    paper.refresh_from_db()  # still there


@pytest.mark.django_db
def test_a_view_permission_allows_reading_but_not_changing(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_paper"))
    paper = make_paper(title="Readable")
    client.force_login(reader)
    assert client.get("/admin/bibliography/paper/").status_code == 200
    assert client.get("/admin/bibliography/paper/add/").status_code == 403
    response = client.post(
        reverse("admin:bibliography_paper_change", args=[paper.pk]), {"title": "Changed"}
    )
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.title == "Readable"
