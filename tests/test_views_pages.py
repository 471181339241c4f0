"""Paper, author, venue and award pages; the feed, sitemap and robots.txt; drafts; errors."""

import pytest
from django.core.cache import cache
from django.urls import resolve, reverse

from bibliography.models import Award, Paper, Topic
from bibliography.site_title import site_title
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(db):
    owner = make_author("Biderman", given_name="Stella", slug="stella", is_site_owner=True)
    venue = make_venue(
        name="Neural Information Processing Systems", short_name="NeurIPS", slug="neurips"
    )
    paper = make_paper(
        title="LAION-5B: an open dataset",
        venue=venue,
        year=2022,
        authors=["Schuhmann", owner],
        abstract="Paragraph one.\n\nParagraph two.",
        citation_text="Schuhmann, et al. (incl. Biderman). LAION-5B. NeurIPS 2022.",
        slug="laion-5b",
    )
    award = Award.objects.create(name="Outstanding Paper Award", slug="outstanding")
    paper.awards.add(award)
    return paper


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("paper-list", {}, "/"),
        ("paper-detail", {"slug": "x"}, "/papers/x/"),
        ("author-detail", {"slug": "x"}, "/authors/x/"),
        ("venue-detail", {"slug": "x"}, "/venues/x/"),
        ("award-detail", {"slug": "x"}, "/awards/x/"),
        ("feed", {}, "/feed/"),
        ("sitemap", {}, "/sitemap.xml"),
        ("robots", {}, "/robots.txt"),
        ("paper-list-pdf", {}, "/papers.pdf"),
        ("paper-list-latex", {}, "/papers.tex"),
    ],
)
def test_url_names(name, kwargs, path):
    assert reverse(f"bibliography:{name}", kwargs=kwargs) == path
    assert resolve(path).view_name == f"bibliography:{name}"


def test_paper_page_shows_everything(client, paper):
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "LAION-5B: an open dataset" in html
    assert 'href="/authors/stella/"' in html and "<strong>Stella Biderman</strong>" in html
    assert 'href="/venues/neurips/"' in html and "Neural Information Processing Systems" in html
    assert 'href="/awards/outstanding/"' in html
    assert "<p>Paragraph one.</p>" in html and "<p>Paragraph two.</p>" in html
    assert "Schuhmann, et al. (incl. Biderman)" in html
    assert "Cite this paper" in html
    assert "bibliography/paper_detail.html" in [t.name for t in response.templates]
    assert "includes/_paper_cite.html" in [t.name for t in response.templates]
    assert "includes/_paper_meta.html" in [t.name for t in response.templates]


def test_pages_have_no_inline_scripts_styles_or_handlers(client, paper):
    for url in ["/", paper.get_absolute_url(), "/authors/stella/", "/venues/neurips/"]:
        html = client.get(url).content.decode()
        assert " style=" not in html and "<style" not in html
        assert " onclick=" not in html and " onchange=" not in html
        for tag in html.split("<script")[1:]:
            opening, _, rest = tag.partition(">")
            assert "src=" in opening or "application/ld+json" in opening, url
            assert rest.startswith("</script>") or "application/ld+json" in opening


def test_author_page_lists_their_papers_with_facets_and_coauthors(client, paper):
    coauthor = paper.authorships.get(position=1).author
    make_paper(title="Another one", authors=[coauthor, "Stranger"])
    make_paper(title="Owner and coauthor again", authors=["Biderman2", coauthor], year=2021)
    owner = paper.authorships.get(position=2).author
    make_paper(title="With coauthor again", authors=[owner, coauthor], year=2021)
    response = client.get(reverse("bibliography:author-detail", kwargs={"slug": "stella"}))
    assert response.status_code == 200
    assert [p.title for p in response.context["papers"]] == [
        "LAION-5B: an open dataset",
        "With coauthor again",
    ]
    assert [(c.label, c.count) for c in response.context["coauthors"]] == [("Ada Schuhmann", 2)]
    facet_names = [f.name for f in response.context["facets"]]
    assert "venue" in facet_names and "year" in facet_names
    author_facet = next(f for f in response.context["facets"] if f.name == "author")
    assert "stella" not in [v.value for v in author_facet.values]
    # Her only co-author is on both papers: the author facet has nothing to narrow.
    assert "author" not in [f.name for f in response.context["shown_facets"]]
    assert 'name="author"' not in response.content.decode()
    # The same parameters narrow the author's papers.
    narrowed = client.get("/authors/stella/", {"year": "2021"})
    assert [p.title for p in narrowed.context["papers"]] == ["With coauthor again"]


def test_venue_and_award_pages(client, paper):
    make_paper(title="Elsewhere", venue=make_venue())
    venue = client.get("/venues/neurips/")
    assert [p.title for p in venue.context["papers"]] == [paper.title]
    assert "Neural Information Processing Systems" in venue.content.decode()
    award = client.get("/awards/outstanding/")
    assert [p.title for p in award.context["papers"]] == [paper.title]
    html = award.content.decode()
    export = reverse("bibliography:paper-list-export", kwargs={"fmt": "bib"})
    assert f'href="{export}?award=outstanding"' in html


def test_drafts_are_hidden_everywhere(client, paper):
    secret_author = make_author("Hidden", slug="hidden")
    secret_venue = make_venue(name="Secret Venue", slug="secret-venue")
    secret_award = Award.objects.create(name="Secret Award", slug="secret-award")
    draft = make_paper(
        title="Unpublished draft",
        slug="draft",
        venue=secret_venue,
        authors=[secret_author],
        published=False,
    )
    draft.awards.add(secret_award)
    assert client.get("/papers/draft/").status_code == 404
    assert client.get("/authors/hidden/").status_code == 404
    assert client.get("/venues/secret-venue/").status_code == 404
    assert client.get("/awards/secret-award/").status_code == 404
    public_urls = ["/", "/?q=unpublished", "/feed/", "/sitemap.xml", "/authors/stella/"]
    exports = ["/papers.bib", "/papers.ris", "/papers.json", "/papers.bib?q=unpublished"]
    for url in public_urls + exports:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        body = body.decode()
        if "q=" not in url:  # the published paper is there: the page is not just empty
            assert any(mark in body for mark in (paper.title, paper.citation_key, paper.slug)), url
        assert "Unpublished draft" not in body and "/papers/draft/" not in body, url
        assert "Secret Venue" not in body and "/authors/hidden/" not in body, url


def test_unknown_slugs_are_404_in_the_site_design(client, db):
    response = client.get("/papers/no-such-paper/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "site.css" in response.content.decode()


def test_feed_is_atom_with_newest_first(client, paper):
    make_paper(title="Older paper", year=2019)
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.index("LAION-5B") < body.index("Older paper")
    assert "http://testserver/papers/laion-5b/" in body


def test_sitemap_lists_public_pages(client, paper):
    body = client.get("/sitemap.xml").content.decode()
    for path in [
        "/",
        "/papers/laion-5b/",
        "/authors/stella/",
        "/venues/neurips/",
        "/awards/outstanding/",
    ]:
        assert f"<loc>http://testserver{path}</loc>" in body


def test_robots_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_500_page_renders_without_a_request(db):
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html


def test_a_paper_without_authors_or_venue_renders(client, db):
    paper = make_paper(title="Towards Deconfusing Gradient Hacking", year=None)
    assert client.get(paper.get_absolute_url()).status_code == 200
    html = client.get("/").content.decode()
    assert "Year unknown" in html
    assert Paper.objects.count() == 1


def test_previous_and_next_follow_the_list_order_and_skip_drafts(client, db):
    make_paper(title="B 2023", year=2023, month=5)
    make_paper(title="A 2023 no month", year=2023)
    make_paper(title="A 2022", year=2022)
    make_paper(title="B 2022", year=2022)
    make_paper(title="Draft 2022", year=2022, published=False)
    make_paper(title="Undated", year=None)
    list_order = [p.title for p in client.get("/").context["papers"]]
    assert list_order == ["B 2023", "A 2023 no month", "A 2022", "B 2022", "Undated"]
    walked, paper = [], Paper.objects.get(title="B 2023")
    while paper is not None:
        walked.append(paper.title)
        response = client.get(paper.get_absolute_url())
        paper = response.context["next_paper"]
    assert walked == list_order
    cache.clear()  # the last page was just rendered; this visit needs its context again
    last = client.get(Paper.objects.get(title="Undated").get_absolute_url())
    assert last.context["previous_paper"].title == "B 2022"
    assert 'rel="prev"' in last.content.decode() and 'rel="next"' not in last.content.decode()


def test_previous_and_next_walk_unknown_years_months_and_equal_titles_both_ways(client, db):
    """Every boundary of the keyset: month to unknown month, year to year, known year to
    unknown year (with and without a month), and equal titles ordered by id."""
    for title, year, month in [
        ("Same", 2024, 3),
        ("Same", 2024, 3),
        ("Alpha", 2024, 3),
        ("Zulu", 2024, 12),
        ("Late in year", 2024, None),
        ("Same", 2024, None),
        ("Mid", 2023, 6),
        ("First of 2023", 2023, 1),
        ("No date", None, None),
        ("No year but May", None, 5),
        ("Same", None, None),
    ]:
        make_paper(title=title, year=year, month=month)
    make_paper(title="Hidden", year=2024, month=3, published=False)
    expected = sorted(
        Paper.objects.published(),
        key=lambda p: (-(p.year or -1), -(p.month or 0), p.title, p.pk),
    )
    assert [p.pk for p in client.get("/").context["papers"]] == [p.pk for p in expected]
    for index, paper in enumerate(expected):
        context = client.get(paper.get_absolute_url()).context
        previous = expected[index - 1] if index > 0 else None
        following = expected[index + 1] if index + 1 < len(expected) else None
        assert context["previous_paper"] == previous, paper
        assert context["next_paper"] == following, paper


def test_the_feed_takes_the_lists_filters(client, paper):
    other = make_paper(title="Someone else's paper", year=2019, authors=["Nobody"])
    everything = client.get("/feed/").content.decode()
    assert "LAION-5B" in everything and "Someone else" in everything
    author = paper.authorships.first().author
    body = client.get("/feed/", {"author": author.slug}).content.decode()
    assert "LAION-5B" in body and "Someone else" not in body
    assert f"newest papers (Author: {author.name})" in body
    assert f"/?author={author.slug}" in body  # the feed's page is the filtered list
    body = client.get("/feed/", {"year": "2019"}).content.decode()
    assert "Someone else" in body and "LAION-5B" not in body
    assert other.year == 2019
    body = client.get("/feed/", {"venue": "no-such-venue", "year": "abc"}).content.decode()
    assert "LAION-5B" in body  # unusable values are ignored, as on the list


def test_author_venue_award_and_topic_pages_link_their_own_feed(client, paper):
    author = paper.authorships.first().author
    topic = Topic.objects.create(name="Image data sets", slug="image-data")
    paper.topics.add(topic)
    pages = {
        author.get_absolute_url(): f"author={author.slug}",
        paper.venue.get_absolute_url(): f"venue={paper.venue.slug}",
        paper.awards.first().get_absolute_url(): f"award={paper.awards.first().slug}",
        topic.get_absolute_url(): "topic=image-data",
    }
    for url, query in pages.items():
        html = client.get(url).content.decode()
        head = html[: html.index("</head>")]
        assert f'type="application/atom+xml" title="{site_title()}: newest papers of' in head
        assert f'href="/feed/?{query}"' in head, url
        assert f'<a href="/feed/?{query}">Atom feed' in html[html.index("<main") :], url
        feed = client.get(f"/feed/?{query}")
        assert feed.status_code == 200 and "LAION-5B" in feed.content.decode()
    assert "/feed/?" not in client.get("/").content.decode()
