"""What the paper page shows of its citations: BibTeX, formatted styles, Scholar metadata.

{% load citations %}
{% paper_bibtex paper as bibtex %}           the entry without its abstract, as text
                                             (the template escapes it; the .bib keeps it)
{% formatted_citations paper as citations %} APA, Chicago, MLA, IEEE (safe HTML + text)
{% highwire_tags paper as tags %}            (name, content) pairs for <meta> tags
{% scholarly_json_ld paper %}                the JSON-LD <script> data block
"""

from django import template

from bibliography.citations import bibtex, scholar, styles

register = template.Library()


def _absolute_uri(context):
    request = context.get("request")
    if request is None:
        return lambda url: url
    return request.build_absolute_uri


@register.simple_tag
def paper_bibtex(paper):
    return bibtex.write_entry(bibtex.paper_entry(paper, abstract=False))


@register.simple_tag
def formatted_citations(paper):
    return styles.format_citations(paper)


@register.simple_tag(takes_context=True)
def highwire_tags(context, paper):
    return scholar.highwire_tags(paper, _absolute_uri(context))


@register.simple_tag(takes_context=True)
def scholarly_json_ld(context, paper):
    return scholar.json_ld_script(scholar.scholarly_article(paper, _absolute_uri(context)))
