"""Typed links and hosted files, preview images and photos, selected papers, priority within
a year, and topics: through the admin (an editor with ordinary permissions), the public
pages, the exports (nothing site-only leaks) and a dump/load backup."""

import io
import json

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from bibliography.filters import adjacent_papers
from bibliography.models import Author, Paper, PaperLink, Topic
from bibliography.uploads import THUMBNAIL_SIZE, serve_upload
from tests.admin_forms import admin_form_data
from tests.factories import make_author, make_paper

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML_AS_PDF = b"<!doctype html><script>alert(document.cookie)</script>"
SVG_AS_PNG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
LINKS = "links"  # the inline's prefix: PaperLink.paper's related name


def png_bytes(width=1200, height=800, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(client):
    """Staff with exactly the permissions to edit papers and their links (no superuser)."""
    user = User.objects.create_user("links-editor", is_staff=True)
    codenames = [
        "view_paper",
        "change_paper",
        "view_paperlink",
        "add_paperlink",
        "change_paperlink",
        "delete_paperlink",
        "view_topic",
        "view_author",
        "change_author",
    ]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="bibliography", codename__in=codenames)
    )
    client.force_login(user)
    return client


def change_url(paper):
    return reverse("admin:bibliography_paper_change", args=[paper.pk])


def post_paper(client, paper, links=(), files=None, **fields):
    """Submit the paper's change page with `links` rows ({kind, label, url}) and `files`
    ({"links-0-file": upload, "preview_image": upload})."""
    data = admin_form_data(client.get(change_url(paper)))
    data = {k: v for k, v in data.items() if not k.startswith(f"{LINKS}-")}
    data.update(
        {
            f"{LINKS}-TOTAL_FORMS": str(len(links)),
            f"{LINKS}-INITIAL_FORMS": "0",
            f"{LINKS}-MIN_NUM_FORMS": "0",
            f"{LINKS}-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(links):
        data.update({f"{LINKS}-{i}-{key}": value for key, value in row.items()})
        data.setdefault(f"{LINKS}-{i}-position", str(i + 1))
    data.update(fields)
    data.update(files or {})
    return client.post(change_url(paper), data)


def form_errors(response) -> str:
    context = response.context
    errors = [str(context["adminform"].form.errors)]
    errors += [str(f.errors) for inline in context["inline_admin_formsets"] for f in inline.formset]
    return " ".join(errors)


# --- Links and files --------------------------------------------------------------------


def test_editor_adds_ordered_typed_links_shown_as_buttons(editor, client):
    paper = make_paper(authors=["Lovelace"], title="Notes on the engine")
    response = post_paper(
        editor,
        paper,
        links=[
            {"kind": "slides", "url": "https://example.org/slides", "position": "2"},
            {
                "kind": "custom",
                "label": "Colab notebook",
                "url": "https://example.org/nb",
                "position": "1",
            },
            {"kind": "video", "url": "https://example.org/talk", "position": "3"},
        ],
    )
    assert response.status_code == 302, form_errors(response)
    texts = [link.text for link in Paper.objects.get(pk=paper.pk).ordered_links]
    assert texts == ["Colab notebook", "Slides", "Video"]
    for url in (paper.get_absolute_url(), reverse("bibliography:paper-list")):
        html = client.get(url).content.decode()
        assert html.index(">Colab notebook<") < html.index(">Slides<") < html.index(">Video<")
        assert 'href="https://example.org/talk"' in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "custom", "url": "https://example.org/x"}, "A custom link needs a label"),
        ({"kind": "code"}, "Give either a URL or a file"),
        ({"kind": "code", "url": "javascript:alert(1)"}, "Enter a valid URL"),
    ],
)
def test_a_link_the_rules_refuse_is_named_in_the_form(editor, row, message):
    paper = make_paper(authors=["Lovelace"])
    response = post_paper(editor, paper, links=[row])
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not PaperLink.objects.exists()


def test_editor_uploads_a_pdf_hosted_under_a_generated_name(editor, client, media_root):
    paper = make_paper(authors=["Lovelace"])
    upload = SimpleUploadedFile("../../etc/My Paper.pdf", PDF_BYTES, "application/pdf")
    response = post_paper(editor, paper, links=[{"kind": "pdf"}], files={"links-0-file": upload})
    assert response.status_code == 302, form_errors(response)
    link = PaperLink.objects.get()
    assert link.file.name.startswith("files/") and link.file.name.endswith(".pdf")
    assert "My" not in link.file.name and ".." not in link.file.name
    assert (media_root / link.file.name).read_bytes() == PDF_BYTES
    page = client.get(paper.get_absolute_url())
    assert f'href="/media/{link.file.name}"' in page.content.decode()
    # Google Scholar is pointed at the hosted PDF when no pdf_url was imported.
    assert f'name="citation_pdf_url" content="http://testserver/media/{link.file.name}"' in (
        page.content.decode()
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("paper.pdf", HTML_AS_PDF, "pdf"),
        ("poster.png", SVG_AS_PNG, "poster"),
        ("slides.pdf", b"#!/bin/sh\nrm -rf /\n", "slides"),
        ("poster.png", png_bytes()[:60], "poster"),  # a truncated image
    ],
)
def test_a_disguised_file_is_refused_by_its_content(editor, name, content, kind, media_root):
    paper = make_paper(authors=["Lovelace"])
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = post_paper(editor, paper, links=[{"kind": kind}], files={"links-0-file": upload})
    assert response.status_code == 200
    assert "whatever its name says" in form_errors(response)
    assert not PaperLink.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_png_is_refused_as_the_pdf_link(editor):
    paper = make_paper(authors=["Lovelace"])
    upload = SimpleUploadedFile("paper.pdf", png_bytes(20, 20), "application/pdf")
    response = post_paper(editor, paper, links=[{"kind": "pdf"}], files={"links-0-file": upload})
    assert "file must be a PDF." in form_errors(response)


def test_a_file_over_the_size_limit_is_refused(editor, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    paper = make_paper(authors=["Lovelace"])
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b" " * 2000, "application/pdf")
    response = post_paper(editor, paper, links=[{"kind": "pdf"}], files={"links-0-file": upload})
    assert "the limit is 1000" in form_errors(response)
    assert not PaperLink.objects.exists()


def test_development_serves_uploads_as_inert_downloads(media_root):
    (media_root / "files").mkdir(parents=True)
    (media_root / "files" / "x.pdf").write_bytes(PDF_BYTES)
    response = serve_upload(RequestFactory().get("/media/files/x.pdf"), "files/x.pdf", media_root)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert "sandbox" in response["Content-Security-Policy"]


# --- Preview images and photos ------------------------------------------------------------


def test_preview_image_is_resized_needs_alt_and_shows_only_with_thumbnails(
    editor, client, settings, media_root
):
    paper = make_paper(authors=["Lovelace"])
    image = {"preview_image": SimpleUploadedFile("fig.png", png_bytes(), "image/png")}
    response = post_paper(editor, paper, files=image)
    assert "Describe the preview image" in form_errors(response)

    image = {"preview_image": SimpleUploadedFile("fig.png", png_bytes(), "image/png")}
    response = post_paper(editor, paper, files=image, preview_alt="The engine's diagram")
    assert response.status_code == 302, form_errors(response)
    paper.refresh_from_db()
    with Image.open(media_root / paper.preview_image.name) as stored:
        assert max(stored.size) == THUMBNAIL_SIZE
    assert paper.preview_image.name.startswith("previews/")

    tag = f'src="/media/{paper.preview_image.name}" alt="The engine&#x27;s diagram"'
    assert tag not in client.get("/").content.decode()
    settings.SITE_THUMBNAILS = True
    cache.clear()  # the page cached before the setting changed
    assert tag in client.get("/").content.decode()


def test_a_disguised_preview_image_is_refused(editor):
    paper = make_paper(authors=["Lovelace"])
    image = {"preview_image": SimpleUploadedFile("fig.png", SVG_AS_PNG, "image/png")}
    response = post_paper(editor, paper, files=image, preview_alt="A figure")
    assert "This is not a PNG, JPEG, WebP or GIF image." in form_errors(response)
    paper.refresh_from_db()
    assert not paper.preview_image


def test_an_image_too_large_in_pixels_is_refused_before_decoding(editor):
    paper = make_paper(authors=["Lovelace"])
    bomb = png_bytes(6000, 6000, mode="1")  # a few kilobytes, 36 megapixels
    image = {"preview_image": SimpleUploadedFile("fig.png", bomb, "image/png")}
    response = post_paper(editor, paper, files=image, preview_alt="A figure")
    assert "The image is too large in pixels." in form_errors(response)


def test_author_photo_is_validated_resized_and_shown(editor, client, media_root):
    author = make_author("Lovelace")
    make_paper(authors=[author])
    url = reverse("admin:bibliography_author_change", args=[author.pk])
    data = admin_form_data(editor.get(url))
    data["photo"] = SimpleUploadedFile("me.html.png", HTML_AS_PDF, "image/png")
    assert "not a PNG" in str(editor.post(url, data).context["adminform"].form.errors)
    data["photo"] = SimpleUploadedFile("me.png", png_bytes(900, 1800, "RGBA"), "image/png")
    assert editor.post(url, data).status_code == 302
    author.refresh_from_db()
    assert author.photo.name.startswith("photos/") and author.photo.name.endswith(".png")
    with Image.open(media_root / author.photo.name) as stored:
        assert stored.size == (THUMBNAIL_SIZE // 2, THUMBNAIL_SIZE)
    page = client.get(author.get_absolute_url()).content.decode()
    assert f'src="/media/{author.photo.name}" alt="Photo of Ada Lovelace"' in page
    Author.objects.filter(pk=author.pk).update(is_site_owner=True)
    people = client.get(reverse("bibliography:author-list")).content.decode()
    assert f'<img class="profile-photo" src="/media/{author.photo.name}"' in people


# --- Selected papers and priority ------------------------------------------------------


def test_selected_papers_lead_the_unfiltered_home_page_in_their_order(client):
    make_paper(authors=["A"], title="Ordinary paper", year=2024)
    make_paper(authors=["B"], title="Second pick", year=2024, featured=True, featured_order=2)
    make_paper(authors=["C"], title="First pick", year=2020, featured=True, featured_order=1)
    make_paper(authors=["D"], title="Draft pick", featured=True, published=False)
    home = client.get("/")
    selected = [p.title for p in home.context["featured_papers"]]
    assert selected == ["First pick", "Second pick"]
    assert "Selected publications" in home.content.decode()
    for filtered in ("/?page=1", "/?year=2024"):
        response = client.get(filtered)
        assert response.context["featured_papers"] == []
        assert "Selected publications</h2>" not in response.content.decode()


def test_selected_is_a_facet_with_its_count_and_a_chip(client):
    make_paper(authors=["A"], title="Ordinary paper")
    make_paper(authors=["B"], title="A pick", featured=True)
    home = client.get("/")
    facet = next(f for f in home.context["facets"] if f.name == "featured")
    assert [(v.label, v.count) for v in facet.values] == [("Selected publications", 1)]
    filtered = client.get("/?featured=1")
    assert [p.title for p in filtered.context["papers"]] == ["A pick"]
    assert [(c.label, c.value) for c in filtered.context["chips"]] == [
        ("Selected", "Selected publications")
    ]
    bogus = client.get("/?featured=yes")
    assert bogus.status_code == 200 and len(bogus.context["papers"]) == 2
    assert any("Selected: no such value" in n for n in bogus.context["notices"])


def test_priority_orders_papers_within_a_year_and_prev_next_agree(client):
    old = make_paper(authors=["A"], title="Older year", year=2021, month=12)
    late = make_paper(authors=["A"], title="December", year=2022, month=12)
    pinned = make_paper(authors=["A"], title="Pinned", year=2022, month=1, priority=5)
    newer = make_paper(authors=["A"], title="Newer year", year=2023, month=1, priority=-9)
    order = [p.title for p in client.get("/").context["papers"]]
    assert order == ["Newer year", "Pinned", "December", "Older year"]
    assert adjacent_papers(pinned) == (newer, late)
    previous, following = adjacent_papers(late)
    assert (previous, following) == (pinned, old)


def test_priority_outside_its_range_is_refused_in_the_admin(editor):
    paper = make_paper(authors=["A"])
    data = admin_form_data(editor.get(change_url(paper)))
    data["priority"] = "500"
    response = editor.post(change_url(paper), data)
    assert "less than or equal to 99" in form_errors(response)


# --- Topics -----------------------------------------------------------------------------


def test_topics_facet_is_disjunctive_and_each_topic_has_a_page(client):
    lm = Topic.objects.create(name="Language models")
    data = Topic.objects.create(name="Data sets", description="Corpora we built.")
    hidden = Topic.objects.create(name="Only on drafts")
    a = make_paper(authors=["A"], title="LM paper", year=2022)
    b = make_paper(authors=["B"], title="Data paper", year=2021)
    c = make_paper(authors=["C"], title="Both", year=2022)
    draft = make_paper(authors=["D"], title="Draft", published=False)
    a.topics.add(lm)
    b.topics.add(data)
    c.topics.add(lm, data)
    draft.topics.add(hidden)

    facet = next(f for f in client.get("/").context["facets"] if f.name == "topic")
    assert [(v.label, v.count) for v in facet.values] == [("Data sets", 2), ("Language models", 2)]
    both = client.get("/?topic=language-models&topic=data-sets")
    assert {p.title for p in both.context["papers"]} == {"LM paper", "Data paper", "Both"}
    narrowed = client.get("/?topic=data-sets&year=2022")
    assert [p.title for p in narrowed.context["papers"]] == ["Both"]
    facet = next(f for f in narrowed.context["facets"] if f.name == "topic")
    # Counted over 2022's papers, ignoring the topic filter itself.
    assert {(v.value, v.count, v.selected) for v in facet.values} == {
        ("data-sets", 1, True),
        ("language-models", 2, False),
    }

    page = client.get(data.get_absolute_url())
    assert page.status_code == 200
    assert {p.title for p in page.context["papers"]} == {"Data paper", "Both"}
    assert "Corpora we built." in page.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/?topic=only-on-drafts").context["notices"]
    item = client.get("/").content.decode()
    assert f'href="{lm.get_absolute_url()}">Language models</a>' in item
    sitemap = client.get(reverse("bibliography:sitemap")).content.decode()
    assert data.get_absolute_url() in sitemap and hidden.get_absolute_url() not in sitemap


def test_topic_urls_resolve():
    assert reverse("bibliography:topic-detail", kwargs={"slug": "nlp"}) == "/topics/nlp/"


# --- Exports never carry site-only fields ------------------------------------------------


def test_site_only_fields_never_reach_the_exports(client, media_root):
    plain = make_paper(authors=["Lovelace"], title="The engine", doi="10.1000/engine")
    exports = {fmt: client.get(f"/papers/{plain.slug}.{fmt}").content for fmt in ("bib", "ris")}
    exports["json"] = client.get(f"/papers/{plain.slug}.json").content
    page_meta = client.get(plain.get_absolute_url()).content.decode().split("</head>")[0]

    topic = Topic.objects.create(name="Zebra topic")
    plain.topics.add(topic)
    plain.featured, plain.featured_order, plain.priority = True, 3, 7
    plain.preview_image.save("x.png", ContentFile(png_bytes(10, 10)), save=False)
    plain.preview_alt = "Zebra figure"
    plain.save()
    PaperLink.objects.create(paper=plain, kind="slides", file=ContentFile(PDF_BYTES, "s.pdf"))
    PaperLink.objects.create(paper=plain, kind="video", url="https://example.org/zebra-video")
    cache.clear()
    for fmt, before in exports.items():
        after = client.get(f"/papers/{plain.slug}.{fmt}").content
        assert after == before, fmt
        for leak in (b"Zebra", b"zebra", b"previews/", b"files/", b"featured", b"priority"):
            assert leak not in after
    assert client.get(plain.get_absolute_url()).content.decode().split("</head>")[0] == page_meta
    listing = b"".join(client.get("/papers.bib").streaming_content)
    assert b"Zebra" not in listing and b"keywords" not in listing


# --- Backups ------------------------------------------------------------------------------


# A real flush: PostgreSQL will not TRUNCATE inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_uploaded_files_survive_dump_flush_and_load(tmp_path, media_root):
    paper = make_paper(authors=["Lovelace"], title="Kept safe")
    link = PaperLink.objects.create(paper=paper, kind="pdf", file=ContentFile(PDF_BYTES, "p.pdf"))
    stored_name = link.file.name
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "bibliography",
        natural_foreign=True,
        natural_primary=True,
        output=str(dump),
        verbosity=0,
    )
    assert stored_name in dump.read_text()
    call_command("flush", interactive=False, verbosity=0)
    assert not Paper.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    restored = Paper.objects.get(title="Kept safe").links.get()
    assert restored.file.name == stored_name
    with default_storage.open(restored.file.name) as handle:
        assert handle.read() == PDF_BYTES
    assert json.loads(dump.read_text())  # the dump is well-formed JSON
    assert Author.objects.filter(family_name="Lovelace").exists()
