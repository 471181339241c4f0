"""al-folio / jekyll-scholar / Hugo Blox files come in whole: authors' marks become roles on
clean names, the site's fields become this site's (short names, selected, awards, topics,
typed links, identifiers), paths are resolved or reported, and none of it is exported."""

import io
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from PIL import Image

from bibliography.models import (
    Author,
    AuthorNameVariant,
    Authorship,
    Award,
    ContributionRole,
    Paper,
    PaperLink,
    Topic,
    Venue,
)
from bibliography.uploads import THUMBNAIL_SIZE
from tests.factories import make_author, make_paper
from tests.vendored import CORPUS, vendored_file

ALFOLIO = CORPUS / "al-folio"
TEMPLATE = ALFOLIO / "al-folio-template-papers.bib"
HAILEY = ALFOLIO / "haileyschoelkopf-papers.bib"
QUENTIN = ALFOLIO / "Quentin-Anthony-papers.bib"
EQUAL, CORRESPONDING = ContributionRole.EQUAL_CONTRIBUTION, ContributionRole.CORRESPONDING_AUTHOR
MARKS = "*†‡§¶∗⋆$\\"

# The conventions of the current al-folio template and of sites that follow it, in one file
# (the vendored files hold the older template's and two sites' own).
MARKED = r"""
@article{PhysRev.47.777,
  abbr = {PhysRev},
  title = {Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?},
  author = {Einstein*†, A. and Podolsky*, B. and Rosen*, N.},
  journal = {Phys. Rev.}, volume = {47}, issue = {10}, pages = {777--780}, year = {1935},
  doi = {10.1103/PhysRev.47.777},
  html = {https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777},
  pdf = {example_pdf.pdf}, slides = {/assets/talks/epr.pdf},
  video = {https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ},
  altmetric = {248277}, dimensions = {true}, google_scholar_id = {qyhmnyLat1gC},
  inspirehep_id = {3255},
  additional_info = {. *More Information* can be [found here](https://github.com/alshedivat/al-folio/)},
  annotation = {* Example use of superscripts<br>† Albert Einstein},
  award = {Best paper of the century}, award_name = {Best Paper},
  keywords = {Quantum mechanics, Entanglement}, selected = {true}, bibtex_show = {true},
}
@inproceedings{marks2024,
  title = {Every Way of Marking a Byline},
  author = {Doe$^*$, Jane and Roe\textsuperscript{*}, Rita and Moe\textsuperscript{\dag}, Max
            and Poe{\dag}, Paul and Zoe$^\dagger$, Zia and Loe‡, Lea and Koe$^{1}$, Kim},
  booktitle = {Proceedings of Marks}, year = {2024}, arxiv = {2401.00001},
  annotation = {* Equal contribution, † corresponding author, ‡ work done at Google,
                1 Equal contribution},
}
"""


def write(tmp_path, text, name="papers.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_bibtex", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def roles_of(citation_key: str) -> dict[str, set[str]]:
    """Each author's role slugs on the paper, by the author's name."""
    rows = Authorship.objects.filter(paper__citation_key=citation_key).select_related("author")
    return {row.author.name: {role.slug for role in row.roles.all()} for row in rows}


def marked_names():
    """Authors or name variants whose stored name still holds a mark."""
    marked = Q()
    for mark in MARKS:
        marked |= Q(given_name__contains=mark) | Q(family_name__contains=mark)
    return list(Author.objects.filter(marked)) + list(AuthorNameVariant.objects.filter(marked))


@pytest.mark.django_db
def test_the_seed_coauthors_al_folio_sites_give_equal_contribution_on_clean_names(client):
    biderman = make_author("Biderman", "Stella")
    make_paper(title="An earlier paper", authors=[biderman])
    run(vendored_file(HAILEY), vendored_file(QUENTIN))

    assert marked_names() == []
    # One person each, whichever way the files mark and spell them.
    assert Author.objects.filter(family_name="Biderman").get() == biderman
    assert Author.objects.filter(family_name="Schoelkopf").count() == 1
    assert roles_of("pmlr-v202-biderman23a")["Stella Biderman"] == {EQUAL}
    assert roles_of("pmlr-v202-biderman23a")["Hailey Schoelkopf"] == {EQUAL}
    assert roles_of("pmlr-v202-biderman23a")["Quentin Gregory Anthony"] == set()
    lessons = roles_of("biderman2024lessons")  # `Stella Biderman*`: the mark after the name
    assert [name for name, roles in lessons.items() if roles] == [
        "Stella Biderman",
        "Hailey Schoelkopf",
        "Lintang Sutawika",
    ]
    # `Ghazimirsaeed, S Mahdieh*`: a mark on the given name.
    assert roles_of("ghazimirsaeed2020accelerating")["S Mahdieh Ghazimirsaeed"] == {EQUAL}
    assert set(Paper.objects.filter(featured=True).values_list("citation_key", flat=True)) >= {
        "pmlr-v202-biderman23a",
        "biderman2024lessons",
        "anthony2020efficient",
    }

    # Her other papers show her name as it is, unmarked; the marked paper shows the role.
    page = client.get(biderman.get_absolute_url()).content.decode()
    assert "Biderman*" not in page
    clean = Paper.objects.get(citation_key="NEURIPS2023_59404fb8")
    assert "equal contribution" not in client.get(clean.get_absolute_url()).content.decode()
    marked = Paper.objects.get(citation_key="pmlr-v202-biderman23a")
    assert "(equal contribution)" in client.get(marked.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_every_way_of_writing_a_mark_and_the_legend_that_says_what_it_means(tmp_path):
    out, _err = run(write(tmp_path, MARKED), "-v", "2")
    assert marked_names() == []
    # The template's legend says `*` is an "example use of superscripts" and `†` "Albert
    # Einstein": no role says that, so the marks are dropped (and said to be).
    assert roles_of("PhysRev.47.777") == {
        "A. Einstein": set(),
        "B. Podolsky": set(),
        "N. Rosen": set(),
    }
    assert "mark `†` on A. Einstein is not kept" in out
    assert roles_of("marks2024") == {
        "Jane Doe": {EQUAL},
        "Rita Roe": {EQUAL},
        "Max Moe": {CORRESPONDING},
        "Paul Poe": {CORRESPONDING},
        "Zia Zoe": {CORRESPONDING},
        "Lea Loe": set(),  # "‡ work done at Google" is no role
        "Kim Koe": {EQUAL},  # a numbered mark, as the legend says
    }
    assert "“work done at Google”, which is no contribution role" in out
    assert Paper.objects.get(citation_key="marks2024").arxiv_id == "2401.00001"


@pytest.mark.django_db
def test_without_a_legend_the_marks_are_the_sites_own_roles(tmp_path):
    role = ContributionRole.objects.create(name="senior author", slug="senior", symbol="‡")
    run(write(tmp_path, "@misc{a, title={T}, author={Doe*, J. and Roe†, R. and Moe‡, M.}}"))
    assert roles_of("a") == {"J. Doe": {EQUAL}, "R. Roe": {CORRESPONDING}, "M. Moe": {"senior"}}
    assert role.authorships.count() == 1


@pytest.mark.django_db
def test_the_template_fields_become_the_sites_own_with_a_link_base(tmp_path, client):
    run(write(tmp_path, MARKED), "--link-base", "https://einstein.example.org/")
    paper = Paper.objects.get(citation_key="PhysRev.47.777")
    assert paper.venue.short_name == "PhysRev" and paper.venue.name == "Phys. Rev."
    assert paper.number == "10"  # al-folio's `issue`
    assert paper.featured
    assert paper.pdf_url == "https://einstein.example.org/assets/pdf/example_pdf.pdf"
    assert sorted(paper.links.values_list("kind", "url")) == [
        ("landing", "https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777"),
        ("slides", "https://einstein.example.org/assets/talks/epr.pdf"),
        ("video", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
    ]
    award = paper.awards.get()
    assert (award.name, award.description, award.venue, award.year) == (
        "Best Paper",
        "Best paper of the century",
        paper.venue,
        1935,
    )
    assert sorted(paper.topics.values_list("name", flat=True)) == [
        "Entanglement",
        "Quantum mechanics",
    ]
    assert (paper.altmetric_id, paper.dimensions_id) == ("248277", "")
    assert (paper.google_scholar_id, paper.inspire_id) == ("qyhmnyLat1gC", "3255")
    # The legend and the remark are kept with the paper.
    assert "* Example use of superscripts" in paper.extra_fields["annotation"]
    assert "More Information" in paper.extra_fields["additional_info"]

    page = client.get(paper.get_absolute_url()).content.decode()
    for url in (
        "https://www.altmetric.com/details/248277",
        "https://scholar.google.com/scholar?cluster=qyhmnyLat1gC",
        "https://inspirehep.net/literature/3255",
        "https://einstein.example.org/assets/pdf/example_pdf.pdf",
    ):
        assert f'href="{url}"' in page

    # A second run finds nothing to do: no second award, topic, link or role.
    out, _err = run(write(tmp_path, MARKED), "--link-base", "https://einstein.example.org/")
    assert "0 create, 0 update, 2 skip-duplicate" in out
    assert (Award.objects.count(), Topic.objects.count(), PaperLink.objects.count()) == (1, 2, 3)


@pytest.mark.django_db
def test_award_flags_and_badges_are_read_as_al_folio_sites_write_them(tmp_path):
    text = r"""
@inproceedings{a, title={A}, booktitle={ACL}, year=2025, award={true},
  award_name={Best Paper Award}}
@inproceedings{b, title={B}, booktitle={ACL}, year=2025, award={ACL 2025 Outstanding Paper Award},
  award_name={🏆 Outstanding Paper}}
@inproceedings{c, title={C}, booktitle={ACL}, year=2025, award_name={Best Paper Award}}
"""
    run(write(tmp_path, text))
    assert sorted(Award.objects.values_list("name", "description", "year")) == [
        ("Best Paper Award", "", 2025),
        ("Outstanding Paper", "ACL 2025 Outstanding Paper Award", 2025),
    ]
    # One award of one venue in one year, shared by the papers that received it.
    best = Award.objects.get(name="Best Paper Award")
    assert sorted(best.papers.values_list("citation_key", flat=True)) == ["a", "c"]


@pytest.mark.django_db
def test_an_award_the_site_has_is_found_through_its_venues_short_name(tmp_path):
    acl = Venue.objects.create(name="Annual Meeting of the ACL", short_name="ACL", slug="acl")
    award = Award.objects.create(name="Best Paper", slug="best", venue=acl, year=2025)
    run(
        write(
            tmp_path,
            "@inproceedings{a, title={A}, booktitle={ACL}, year=2025, award_name={Best Paper}}",
        )
    )
    assert list(Award.objects.all()) == [award]
    assert award.papers.get().citation_key == "a"


@pytest.mark.django_db
def test_without_a_link_base_the_template_paths_are_reported_with_file_and_line():
    path = vendored_file(TEMPLATE)
    out, err = run(path, "-v", "2")
    paper = Paper.objects.get(citation_key="PhysRev.47.777")
    assert paper.pdf_url == ""  # never a broken relative link
    assert f"{path}, line 28: `PhysRev.47.777`: pdf `example_pdf.pdf` is a path on the site" in err
    assert "--link-base" in err
    assert "preview image `brownian-motion.gif` not imported" in out
    assert "altmetric" not in paper.extra_fields and paper.altmetric_id == "248277"
    # The template's own `selected`, `abbr` and `html`.
    assert paper.featured and paper.venue.short_name == "PhysRev"
    assert paper.links.get().kind == "landing"
    assert Venue.objects.get(short_name="AJP").name == "American Journal of Physics,"


def test_a_link_base_that_is_not_a_web_address_is_refused():
    with pytest.raises(CommandError, match="--link-base `javascript:alert"):
        run(TEMPLATE, "--link-base", "javascript:alert(1)")


@pytest.mark.django_db
def test_a_button_that_is_no_web_address_is_left_out_with_a_warning(tmp_path):
    text = (
        "@misc{a, title={T}, code={javascript:alert(1)}, video={ftp://x.org/v.mp4}, "
        "html={www.x.org/p}}"
    )
    _out, err = run(write(tmp_path, text), "--link-base", "https://me.example.org")
    paper = Paper.objects.get()
    assert paper.code_url == "" and "code `javascript:alert(1)` left out" in err
    assert "video `ftp://x.org/v.mp4` left out" in err
    assert list(paper.links.values_list("url", flat=True)) == ["https://www.x.org/p"]


def gif_bytes(width=900, height=600) -> bytes:
    out = io.BytesIO()
    Image.new("P", (width, height), 3).save(out, "GIF")
    return out.getvalue()


@pytest.fixture
def preview_folder(tmp_path, settings):
    """al-folio's assets/img/publication_preview/ holding the template's two images, and
    the stored uploads in a media folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "site" / "assets" / "img" / "publication_preview"
    folder.mkdir(parents=True)
    (folder / "brownian-motion.gif").write_bytes(gif_bytes())
    (folder / "wave-mechanics.gif").write_bytes(gif_bytes(300, 200))
    return folder


@pytest.mark.django_db
def test_the_preview_images_are_stored_from_the_folder_given(preview_folder, settings):
    out, err = run(vendored_file(TEMPLATE), "--preview-dir", preview_folder, "-v", "2")
    paper = Paper.objects.get(citation_key="einstein1956investigations")
    assert paper.preview_image.name.startswith("previews/")  # a generated name
    assert not paper.preview_image.name.endswith("brownian-motion.gif")
    with Image.open(settings.MEDIA_ROOT / paper.preview_image.name) as stored:
        assert max(stored.size) == THUMBNAIL_SIZE  # resized as an upload is
    assert paper.preview_alt == f"Figure from “{paper.title}”"
    assert "preview image `brownian-motion.gif` imported" in out
    assert "described by the paper's title" in out
    assert Paper.objects.exclude(preview_image="").count() == 2
    assert "not imported" not in out + err


@pytest.mark.django_db
def test_without_the_folder_the_dry_run_says_where_the_preview_was(preview_folder):
    out, _err = run(vendored_file(TEMPLATE), "--dry-run", "-v", "2")
    assert "preview image `brownian-motion.gif` not imported" in out
    assert "--preview-dir" in out
    assert not Paper.objects.exists()


HOSTILE_PREVIEWS = r"""
@misc{up, title={Up}, preview={../../secret.png}}
@misc{absolute, title={Absolute}, preview={/etc/hostname}}
@misc{linked, title={Linked}, preview={outside.png}}
@misc{svg, title={Svg}, preview={drawing.png}}
@misc{missing, title={Missing}, preview={nowhere.png}}
@misc{folder, title={Folder}, preview={.}}
@misc{huge, title={Huge}, preview={huge.gif}}
"""


@pytest.mark.django_db
def test_a_preview_outside_the_folder_or_not_an_image_is_refused_by_name(
    preview_folder, tmp_path, settings
):
    (tmp_path / "site" / "secret.png").write_bytes(gif_bytes())
    (tmp_path / "elsewhere.png").write_bytes(gif_bytes())
    (preview_folder / "outside.png").symlink_to(tmp_path / "elsewhere.png")
    (preview_folder / "drawing.png").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (preview_folder / "huge.gif").write_bytes(gif_bytes())
    settings.UPLOAD_MAX_BYTES = 100
    path = write(tmp_path, HOSTILE_PREVIEWS)
    for dry_run in (("--dry-run",), ()):
        _out, err = run(path, "--preview-dir", preview_folder, *dry_run)
        outside = f"left out: it is outside the preview folder {preview_folder}"
        assert f"`up`: preview image `../../secret.png` {outside}" in err
        assert f"`absolute`: preview image `/etc/hostname` {outside}" in err
        assert f"`linked`: preview image `outside.png` {outside}" in err
        assert "`svg`: preview image `drawing.png` left out: This is not a PNG" in err
        assert "`missing`: preview image `nowhere.png` left out: no such file" in err
        assert "`folder`: preview image `.` left out: no such file" in err
        assert "`huge`: preview image `huge.gif` left out: larger than the limit" in err
    # The entries themselves come in, without an image.
    assert Paper.objects.count() == 7
    assert not Paper.objects.exclude(preview_image="").exists()
    assert not (settings.MEDIA_ROOT / "previews").exists()


def test_a_preview_folder_that_is_not_one_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--preview-dir .*: not a folder"):
        run(write(tmp_path, "@misc{a, title={A}}"), "--preview-dir", tmp_path / "nothing")


SITE_AND_HOUSEKEEPING = r"""
@article{kept,
  title = {A JabRef and BibDesk Entry}, author = {Doe, Jane}, journal = {J}, year = {2020},
  owner = {jane}, timestamp = {2020.01.01}, file = {:paper.pdf:PDF}, groups = {mine},
  ranking = {rank5}, readstatus = {read}, date-added = {2020-01-01 10:00:00 +0000},
  date-modified = {2020-01-02 10:00:00 +0000}, bdsk-url-1 = {https://example.org/a},
  series = {Kept Series},
}
"""
SITE_ONLY = ("selected", "preview", "bibtex_show", "abbr", "altmetric", "dimensions",
             "google_scholar_id", "inspirehep_id", "additional_info", "html", "slides")  # fmt: skip
HOUSEKEEPING = ("owner", "timestamp", "file", "groups", "ranking", "readstatus",
                "date-added", "date-modified", "bdsk-url-1")  # fmt: skip


@pytest.mark.django_db
def test_site_only_and_housekeeping_fields_never_reach_an_export(tmp_path, client):
    run(
        vendored_file(TEMPLATE),
        vendored_file(HAILEY),
        write(tmp_path, MARKED.replace("PhysRev.47.777", "marked") + SITE_AND_HOUSEKEEPING),
        "--skip-invalid",
    )
    bibtex, ris, csl = (
        b"".join(
            client.get(reverse("bibliography:paper-list-export", args=[fmt])).streaming_content
        ).decode()
        for fmt in ("bib", "ris", "json")
    )
    assert "@article{kept," in bibtex and "Kept Series" in bibtex
    for name in (*SITE_ONLY, *HOUSEKEEPING):
        assert f"\n  {name} = " not in bibtex, name
    for text in (bibtex, ris, csl):
        for value in (
            "example_pdf.pdf",
            "brownian-motion.gif",
            "rank5",
            ":paper.pdf:PDF",
            "248277",
        ):
            assert value not in text
        assert "Biderman*" not in text and "Einstein*" not in text
    assert "Podolsky, B." in bibtex


# What an editor who may do everything the import does holds.
EDITOR = ("view_paper", "add_paper", "change_paper", "add_author", "add_venue", "add_award",
          "add_topic")  # fmt: skip
URL = "admin:bibliography_paper_import_bibtex"


def staff(client, *codenames):
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def upload(client, path, **fields):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), **fields}
    return client.post(reverse(URL), data)


def confirm(client, preview, **fields):
    context = preview.context
    data = {
        "confirm": "1",
        "digest": context["confirm_form"]["digest"].value(),
        "link_base": context["confirm_form"]["link_base"].value() or "",
        **fields,
    }
    return client.post(reverse(URL), data)


@pytest.mark.django_db
def test_admin_preview_reports_the_paths_and_confirm_imports_the_site(client):
    staff(client, *EDITOR)
    template = vendored_file(TEMPLATE)
    preview = upload(client, template)
    page = preview.content.decode()
    assert "pdf `example_pdf.pdf` is a path on the site" in page
    assert "&#x27;Address of the site&#x27; in the admin" in page
    # One uploaded file brings no images: the preview says where the site had them.
    assert "preview image `brownian-motion.gif` not imported" in page
    assert "/assets/img/publication_preview/brownian-motion.gif" in page
    form = client.get(reverse(URL)).content.decode()
    assert "Address of the site" in form and "(/assets/pdf/paper.pdf)" in form  # its help

    preview = upload(client, template, link_base="https://einstein.example.org")
    assert "is a path on the site" not in preview.content.decode()
    assert confirm(client, preview).status_code == 302
    paper = Paper.objects.get(citation_key="PhysRev.47.777")
    assert paper.pdf_url == "https://einstein.example.org/assets/pdf/example_pdf.pdf"
    assert paper.featured and paper.altmetric_id == "248277"


@pytest.mark.django_db
def test_admin_confirm_applies_the_link_base_it_previewed(client):
    staff(client, *EDITOR)
    preview = upload(client, vendored_file(TEMPLATE), link_base="https://einstein.example.org")
    # A link base changed between preview and confirm is not what was previewed.
    response = confirm(client, preview, link_base="https://elsewhere.example.org")
    assert response.status_code == 302 and Paper.objects.count() == 0


@pytest.mark.django_db
def test_admin_refuses_a_link_base_that_is_not_a_web_address(client):
    staff(client, *EDITOR)
    response = upload(client, vendored_file(TEMPLATE), link_base="javascript:alert(1)")
    assert "Enter a valid web address" in response.content.decode()
    assert Paper.objects.count() == 0


@pytest.mark.django_db
def test_admin_marks_become_roles_and_awards_and_topics_follow_permissions(client, tmp_path):
    staff(client, *(codename for codename in EDITOR if codename not in ("add_award", "add_topic")))
    preview = upload(client, write(tmp_path, MARKED))
    page = preview.content.decode()
    assert "award `Best Paper` not added: you may not add awards" in page
    assert "topics not added (you may not add topics): Quantum mechanics, Entanglement" in page
    assert confirm(client, preview).status_code == 302
    assert roles_of("marks2024")["Jane Doe"] == {EQUAL}
    assert marked_names() == []
    assert (Award.objects.count(), Topic.objects.count()) == (0, 0)
    assert Paper.objects.get(citation_key="PhysRev.47.777").venue.short_name == "PhysRev"
