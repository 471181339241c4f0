"""Realistic, repeatable demo data in bulk: for trying the site at scale and for the benchmark.

The marker: every row made here has a slug starting with ``DEMO_PREFIX`` ("demo--"), and every
demo paper's citation key starts with it too. Django's slugify folds runs of hyphens into one,
so no slug made from a real title or name can carry the marker; clearing deletes marked rows
only and never touches the rest of the bibliography.

Repeatable: the same seed gives the same rows, because every random choice comes from
``random.Random`` instances seeded from the seed (string seeds hash with SHA-512, so the result
does not depend on PYTHONHASHSEED or the machine).
"""

import random
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify

from bibliography.keys import citation_key_base
from bibliography.models import Author, Authorship, Award, ContributionRole, Paper, Venue

DEMO_PREFIX = "demo--"
MAX_PAPERS = 1_000_000
FIRST_YEAR, LAST_YEAR = 1995, 2026
# Rows per INSERT batch; Django splits further when the database limits query parameters.
BATCH_SIZE = 2000
# Zipf-like productivity: author (or venue) of rank r is drawn with weight 1 / (r + OFFSET).
# The offset keeps the head realistic: at 100k papers the busiest author has ~900 papers,
# about what the most prolific people on DBLP have.
AUTHOR_RANK_OFFSET = 100
VENUE_RANK_OFFSET = 5
# How many authors a paper has (1..12), roughly as in computer science.
AUTHOR_COUNT_WEIGHTS = [5, 12, 16, 16, 13, 10, 8, 6, 5, 4, 3, 2]

GIVEN_NAMES = """Ada Alan Amara Ana Anders Aoife Arjun Astrid Ayesha Beatriz Bilal Björn Carlos
Chen Chiara Chidi Clara Dae-jung Daniel Dmitri Elena Elif Emeka Emma Eun-ji Fatima Felipe
Francesca Freya Gabriel Grace Guillermo Hana Hannah Hiroshi Ibrahim Ines Ingrid Isaac Jamal
James Javier Jia Jonas Jorge José Julia Kai Kateryna Kavya Kenji Kofi Lars Laura Lea Leila
Li Lucas Lucía Luis Mai Malik María Marta Mateo Mei Mehmet Mia Miguel Ming Mohammed Nadia
Naveen Nikhil Nina Noah Noor Olga Oliver Omar Pablo Priya Qing Rafael Rahul Ravi Rosa Ruth
Sakura Samuel Sara Sebastian Shreya Sofía Stella Sun-hee Tariq Thomas Tomás Valentina Victor
Wei Xin Yara Yasmin Yi Yuki Yusuf Zainab Zanele Zhang Zoë Émilie Łukasz Søren Žofia""".split()  # noqa: SIM905 (a word list reads better as text)

FAMILY_NAMES = """Abbott Adeyemi Ahmed Akhtar Alvarez Andersen Bakker Banerjee Becker Bianchi
Biderman Bose Brown Caruso Chatterjee Chen Cho Costa Dahl Das Dubois Eriksson Fernández Fischer
Fujita Garcia González Gupta Haddad Hansen Hashimoto Herrera Hoffmann Hosseini Huang Ivanova
Iyer Jansen Jensen Jiménez Johansson Kang Kapoor Kaur Khan Kim Kowalski Kumar Laurençon Lee
Lehmann Li Lin Liu Lopez Mahmoud Martin Matsumoto Mehta Meyer Mendoza Moreau Müller Murphy
Nakamura Nguyen Novak Nowak Okafor Olsen Ortiz Park Patel Pereira Petrov Popescu Qureshi Rahman
Ramírez Rao Reddy Ricci Rossi Sánchez Santos Sato Schmidt Schneider Shah Silva Singh Smith
Sokolov Suzuki Takahashi Tanaka Thompson Torres Tran Walker Wang Weber Williams Wójcik Wu Xu
Yamamoto Yang Yilmaz Zhang Zhao Zhou Ødegaard Çelik Šimić""".split()  # noqa: SIM905 (a word list reads better as text)

PARTICLES = ["van", "van der", "de", "von", "da", "di", "del", "le", "ter"]
SUFFIXES = ["Jr.", "Sr.", "II", "III"]
CORPORATE_AUTHORS = [
    "BigScience Workshop",
    "The Open Genome Consortium",
    "ATLAS Collaboration",
    "Open Speech Initiative",
    "The Demo Lab Team",
]

ADJECTIVES = """efficient robust scalable interpretable multilingual low-resource few-shot
zero-shot fair adaptive hierarchical sparse private unsupervised large-scale open faithful
compositional long-context multimodal causal differentiable lightweight trustworthy
data-efficient self-supervised generative discriminative probabilistic neural""".split()  # noqa: SIM905 (a word list reads better as text)

NOUNS = [
    "representations", "benchmarks", "evaluation", "alignment", "generalization",
    "calibration", "robustness", "memorization", "tokenization", "decoding", "retrieval",
    "reasoning", "planning", "transfer", "scaling laws", "uncertainty", "embeddings",
    "attention", "datasets", "annotation", "inference", "optimization", "compression",
    "explanations", "pretraining", "fine-tuning", "search", "verification",
]  # fmt: skip

TOPICS = [
    "language models", "large language models", "graph neural networks",
    "reinforcement learning", "speech recognition", "machine translation",
    "protein structure prediction", "image segmentation", "program synthesis",
    "causal inference", "federated learning", "question answering", "information retrieval",
    "code generation", "time series forecasting", "robotic manipulation", "climate models",
    "recommender systems", "knowledge graphs", "semantic parsing", "diffusion models",
    "contrastive learning", "neural architecture search", "query optimization",
    "distributed consensus", "static analysis", "type inference", "differential privacy",
    "compiler optimization", "sentiment analysis", "named entity recognition",
    "dialogue systems", "vision transformers", "text summarization", "medical imaging",
    "autonomous driving", "network telemetry", "relational databases", "neural rendering",
]  # fmt: skip

METHODS = [
    "a simple baseline", "scalable training", "self-supervised pretraining",
    "curriculum learning", "low-rank adaptation", "mixture of experts",
    "retrieval augmentation", "neural ranking", "probabilistic programming", "active learning",
    "meta-learning", "knowledge distillation", "data augmentation", "instruction tuning",
    "quantization", "structured pruning", "contrastive objectives", "synthetic data",
    "chain-of-thought prompting", "weak supervision", "spectral methods", "bandit feedback",
]  # fmt: skip

CONTEXTS = [
    "in the wild", "at scale", "under distribution shift", "for low-resource languages",
    "with limited supervision", "on commodity hardware", "across domains",
    "in clinical notes", "from noisy labels", "without labels", "in multilingual settings",
    "on edge devices", "for scientific text", "with human feedback",
]  # fmt: skip

ACRONYM_SYLLABLES = "BLO OM SPAR QU ROB TA LUM EN GAL AX VE RA NO VA TRI DENT MAR LIN KO".split()  # noqa: SIM905

# Written in lower case (but for the {X} acronym); `title()` applies title or sentence case.
TITLE_TEMPLATES = [
    "{m} for {a} {t} {c}",
    "towards {a} {n} in {t}",
    "on the {n} of {a} {t}",
    "{a} {n} for {t}: {m} {c}",
    "what makes {t} {a}? a study of {n} {c}",
    "learning {a} {n} from {t} {c}",
    "rethinking {n} in {a} {t}",
    "{X}: {a} {m} for {t}",
    "a survey of {n} in {t} and {t2}",
    "do {t} understand {n}? evidence from {t2}",
    "improving the {n} of {a} {t} with {m}",
    "{X}: a benchmark for {n} in {t} {c}",
    "when does {m} help {t}? an empirical study of {n}",
    "measuring {n} in {t} with {m}",
    "{a} and {a2} {n} for {t}",
]

ABSTRACT_OPENINGS = [
    "{T} has become a central tool in many applications, yet its {n} remains poorly understood.",
    "Progress in {t} has been driven by ever larger models and datasets.",
    "A long line of work studies {n} in {t}, mostly {c}.",
    "Despite rapid progress, {t} still struggles {c}.",
]
ABSTRACT_SENTENCES = [
    "Existing approaches to {t} rely on {m}, which limits their {n}.",
    "We propose {X}, a {a} approach that combines {m} with {m2}.",
    "We introduce a new benchmark of {k} examples for {n} in {t}.",
    "Our analysis shows that {n} is driven largely by {n2}.",
    "Experiments on {d} datasets show that our method improves accuracy by {p} points.",
    "Unlike prior work, we do not assume access to labelled data {c}.",
    "Surprisingly, we find that {m} alone accounts for most of the gains.",
    "We further study how model size and the amount of training data affect {n}.",
    "A theoretical analysis establishes convergence under mild assumptions.",
    "Human evaluation confirms that the outputs are more {a} and more {a2}.",
    "Ablations show that each component matters for {n}.",
    "The method adds less than {d} percent overhead at inference time.",
    "We compare against {d} strong baselines, including recent work on {t2}.",
    "Our results suggest that {n} and {n2} should be evaluated together.",
    "The approach transfers to {t2} with no change to its hyperparameters.",
    "We discuss limitations, including the cost of {m} on long inputs.",
]
ABSTRACT_CLOSINGS = [
    "We release our code, models and data to support future work on {t}.",
    "Code and data are publicly available.",
    "We hope this work encourages a more careful study of {n} in {t}.",
]
SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with"}

AREAS = [
    ("Computational Linguistics", "CL"), ("Machine Learning", "ML"),
    ("Computer Vision", "CV"), ("Learning Representations", "LR"),
    ("Information Retrieval", "IR"), ("Databases", "DB"), ("Software Engineering", "SE"),
    ("Programming Languages", "PL"), ("Robotics", "RO"), ("Data Mining", "DM"),
    ("Security and Privacy", "SP"), ("Distributed Systems", "DS"),
    ("Human-Computer Interaction", "HCI"), ("Theory of Computing", "TC"),
    ("Artificial Intelligence", "AI"), ("Speech Processing", "SPP"), ("Bioinformatics", "BI"),
    ("Computer Graphics", "CG"), ("Networking", "NET"), ("Operating Systems", "OS"),
    ("Knowledge Representation", "KR"), ("Multimedia", "MM"), ("Web Science", "WS"),
    ("Autonomous Agents", "AA"), ("Uncertainty in AI", "UAI"), ("Computational Biology", "CB"),
    ("Parallel Computing", "PC"), ("Formal Methods", "FM"), ("Cryptography", "CR"),
    ("Medical Imaging", "MI"), ("Recommender Systems", "RS"), ("Digital Libraries", "DL"),
    ("Semantic Web", "SW"), ("Embedded Systems", "ES"), ("Computational Social Science", "CSS"),
    ("Natural Language Generation", "NLG"), ("Statistical Learning", "STL"),
    ("Optimization", "OPT"), ("Quantum Computing", "QC"), ("Scientific Computing", "SC"),
]  # fmt: skip
VENUE_PATTERNS = {
    Venue.Kind.CONFERENCE: [
        ("International Conference on {area}", "IC{abbr}"),
        ("Annual Meeting on {area}", "AM{abbr}"),
        ("Symposium on {area}", "S{abbr}"),
    ],
    Venue.Kind.WORKSHOP: [
        ("Workshop on {area}", "W{abbr}"),
        ("Workshop on Trustworthy {area}", "TW{abbr}"),
    ],
    Venue.Kind.JOURNAL: [
        ("Journal of {area}", "J{abbr}"),
        ("Transactions on {area}", "T{abbr}"),
    ],
}
FIXED_VENUES = {
    Venue.Kind.PREPRINT: [
        ("arXiv", "arXiv"), ("bioRxiv", "bioRxiv"), ("medRxiv", "medRxiv"),
        ("SSRN Electronic Journal", "SSRN"), ("OSF Preprints", "OSF"),
    ],
    Venue.Kind.BLOG: [
        ("Distill", "Distill"), ("The Gradient", "Gradient"), ("Demo Lab Blog", "Lab Blog"),
        ("AI Alignment Forum", "AF"), ("Towards Open Science", "TOS"),
    ],
    Venue.Kind.BOOK: [("Handbook of Demo Methods", "HDM")],
    Venue.Kind.OTHER: [
        ("Demo University Technical Reports", "DU-TR"), ("Demo Institute Theses", "DI-Thesis"),
        ("Zenodo", "Zenodo"), ("Software Heritage", "SWH"),
    ],
}  # fmt: skip
# Conferences, workshops and journals made from AREAS x VENUE_PATTERNS, until ~200 venues.
VENUES_PER_KIND = {Venue.Kind.CONFERENCE: 85, Venue.Kind.WORKSHOP: 50, Venue.Kind.JOURNAL: 50}

AWARDS = [
    ("Best Paper Award", Award.Kind.AWARD),
    ("Outstanding Paper Award", Award.Kind.AWARD),
    ("Best Student Paper Award", Award.Kind.AWARD),
    ("Test of Time Award", Award.Kind.AWARD),
    ("Oral Presentation", Award.Kind.ORAL),
    ("Spotlight Presentation", Award.Kind.SPOTLIGHT),
    ("Honourable Mention", Award.Kind.OTHER),
]
PUBLISHERS = ["ACM", "IEEE", "Springer", "Elsevier", "MIT Press", "Association for Comp. Ling."]
# 10.5555 is the prefix Crossref keeps for tests and examples: demo DOIs never name a real work.
DOI_PREFIX = "10.5555"
ARXIV_CLASSES = ["cs.CL", "cs.LG", "cs.CV", "cs.AI", "cs.IR", "cs.DB", "stat.ML", "q-bio.QM"]


@dataclass
class Summary:
    """What a generation or a clearing did, row counts per model."""

    papers: int = 0
    drafts: int = 0
    authors: int = 0
    authorships: int = 0
    venues: int = 0
    awards: int = 0
    paper_awards: int = 0
    kept: list[str] = field(default_factory=list)


def demo_papers():
    """Demo papers: both the slug and the citation key carry the marker."""
    return Paper.objects.filter(slug__startswith=DEMO_PREFIX, citation_key__startswith=DEMO_PREFIX)


def clear_demo_data() -> Summary:
    """Delete demo rows only. A demo author, venue or award an editor attached to a real paper
    is kept (and reported), since deleting it would change that paper."""
    summary = Summary()
    with transaction.atomic():
        summary.papers = demo_papers().count()
        summary.drafts = demo_papers().filter(published=False).count()
        # only("pk"): the deletion collector would otherwise load every abstract into memory.
        demo_papers().only("pk").delete()
        for model, still_used in (
            (Author, Q(authorships__isnull=False)),
            (Venue, Q(papers__isnull=False)),
            (Award, Q(papers__isnull=False)),
        ):
            marked = model.objects.filter(slug__startswith=DEMO_PREFIX)
            kept = list(marked.filter(still_used).distinct().values_list("slug", flat=True))
            _, deleted = marked.exclude(slug__in=kept).delete()
            setattr(summary, f"{model._meta.model_name}s", deleted.get(model._meta.label, 0))
            summary.kept += kept
    return summary


def zipf_cumulative_weights(size: int, offset: int) -> list[float]:
    """Cumulative weights 1/(rank + offset) for ranks 1..size: a few items get most draws."""
    return list(accumulate(1.0 / (rank + offset) for rank in range(1, size + 1)))


def draw_distinct(rng: random.Random, cumulative: list[float], count: int) -> list[int]:
    """`count` distinct indexes drawn with the given cumulative weights, in draw order."""
    total, chosen, seen = cumulative[-1], [], set()
    while len(chosen) < count:
        index = bisect(cumulative, rng.random() * total)
        if index not in seen:
            seen.add(index)
            chosen.append(index)
    return chosen


class DemoGenerator:
    """Builds `papers` demo papers for a seed; `run()` writes them in bulk. Their authors
    are drawn from a pool of `authors` people (a third of the papers unless given: a test
    that builds a page per author keeps it small)."""

    def __init__(
        self,
        papers: int,
        seed: int,
        progress: Callable[[str], None] = print,
        authors: int | None = None,
    ):
        self.papers = papers
        self.seed = seed
        self.authors = authors
        self.progress = progress
        self.started = time.perf_counter()

    def rng(self, purpose: str) -> random.Random:
        """An independent random stream per purpose, so adding one draw never shifts the rest."""
        return random.Random(f"{self.seed}:{purpose}")

    def say(self, message: str) -> None:
        self.progress(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    # -- words -----------------------------------------------------------------------------
    @staticmethod
    def acronym(rng: random.Random) -> str:
        return "".join(rng.choice(ACRONYM_SYLLABLES) for _ in range(rng.randint(2, 3)))

    def fill(self, rng: random.Random, template: str) -> str:
        """Fill a template's placeholders; upper-case keys get a capitalised phrase."""
        topic, topic2 = rng.sample(TOPICS, 2)
        adjective, adjective2 = rng.sample(ADJECTIVES, 2)
        noun, noun2 = rng.sample(NOUNS, 2)
        method, method2 = rng.sample(METHODS, 2)
        values = {
            "t": topic, "t2": topic2, "a": adjective, "a2": adjective2, "n": noun,
            "n2": noun2, "m": method, "m2": method2, "c": rng.choice(CONTEXTS),
            "X": self.acronym(rng), "k": f"{rng.randint(2, 90) * 1000:,}",
            "d": str(rng.randint(3, 12)), "p": f"{rng.uniform(0.5, 9.5):.1f}",
        }  # fmt: skip
        for key in ("t", "t2", "a", "a2", "n", "m", "c"):
            values[key.upper()] = values[key][0].upper() + values[key][1:]
        return template.format(**values)

    def title(self, rng: random.Random) -> str:
        """A title of 6-14 words, in title case or (less often) in sentence case."""
        while True:
            words = self.fill(rng, rng.choice(TITLE_TEMPLATES)).split()
            if 6 <= len(words) <= 14:
                break
        title_case = rng.random() < 0.6
        starts = {0} | {i + 1 for i, word in enumerate(words) if word[-1] in ":?"}
        for i, word in enumerate(words):
            if i in starts or (title_case and word not in SMALL_WORDS):
                words[i] = word[0].upper() + word[1:]
        return " ".join(words)

    def sentence_pool(self) -> tuple[list[str], list[str], list[str]]:
        """Pre-made sentences; abstracts are drawn from them (fast, and still all different)."""
        rng = self.rng("sentences")
        return (
            [self.fill(rng, rng.choice(ABSTRACT_OPENINGS)) for _ in range(400)],
            [self.fill(rng, rng.choice(ABSTRACT_SENTENCES)) for _ in range(4000)],
            [self.fill(rng, rng.choice(ABSTRACT_CLOSINGS)) for _ in range(200)],
        )

    def abstract(self, rng: random.Random, pool) -> str:
        """About 150 words; a quarter of them in two paragraphs."""
        openings, middles, closings = pool
        sentences = [rng.choice(openings)]
        words = len(sentences[0].split())
        while words < 135:
            sentence = rng.choice(middles)
            sentences.append(sentence)
            words += len(sentence.split())
        sentences.append(rng.choice(closings))
        if rng.random() < 0.25:
            cut = len(sentences) // 2
            return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
        return " ".join(sentences)

    # -- people, venues, awards ---------------------------------------------------------------
    def make_author(self, rng: random.Random, index: int) -> Author:
        if rng.random() < 0.002:
            name = rng.choice(CORPORATE_AUTHORS)
            author = Author(family_name=name)
        else:
            author = Author(
                given_name=rng.choice(GIVEN_NAMES), family_name=rng.choice(FAMILY_NAMES)
            )
            if rng.random() < 0.04:
                author.particle = rng.choice(PARTICLES)
            if rng.random() < 0.01:
                author.suffix = rng.choice(SUFFIXES)
            if rng.random() < 0.15:
                author.orcid = self.orcid(rng)
            name = author.name
        author.slug = f"{DEMO_PREFIX}{slugify(name)[:60].strip('-')}-{index}"
        return author

    @staticmethod
    def orcid(rng: random.Random) -> str:
        """A well-formed ORCID iD with its ISO 7064 11,2 check digit."""
        digits = [rng.randint(0, 9) for _ in range(15)]
        total = 0
        for digit in digits:
            total = (total + digit) * 2
        check = (12 - total % 11) % 11
        text = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
        return "-".join(text[i : i + 4] for i in range(0, 16, 4))

    def make_venues(self) -> list[Venue]:
        rng = self.rng("venues")
        venues = []
        for kind, count in VENUES_PER_KIND.items():
            combos = [(p, a) for p in VENUE_PATTERNS[kind] for a in AREAS]
            for (name, short), (area, abbr) in rng.sample(combos, count):
                venues.append(
                    Venue(
                        name=name.format(area=area),
                        short_name=short.format(abbr=abbr),
                        kind=kind,
                    )
                )
        for kind, fixed in FIXED_VENUES.items():
            venues += [Venue(name=name, short_name=short, kind=kind) for name, short in fixed]
        rng.shuffle(venues)  # so that popularity (rank) does not follow the kind
        for index, venue in enumerate(venues, start=1):
            venue.slug = f"{DEMO_PREFIX}{slugify(venue.short_name)}-{index}"
            venue.url = f"https://example.org/venues/{slugify(venue.short_name)}"
        return venues

    # -- papers ------------------------------------------------------------------------------
    def plan_bylines(self, pool_size: int) -> list[list[int]]:
        """Author indexes per paper: 1-12 authors, a few papers with hundreds."""
        rng = self.rng("bylines")
        cumulative = zipf_cumulative_weights(pool_size, AUTHOR_RANK_OFFSET)
        sizes = rng.choices(range(1, 13), weights=AUTHOR_COUNT_WEIGHTS, k=self.papers)
        # About one paper in 2,000 (at least one) is a big collaboration.
        for index in rng.sample(range(self.papers), max(1, self.papers // 2000)):
            sizes[index] = min(pool_size, rng.randint(100, 600))
        return [draw_distinct(rng, cumulative, min(size, pool_size)) for size in sizes]

    def identifiers(self, rng, index: int, year: int, month: int, taken_dois, taken_arxiv):
        """A DOI on half of the papers and an arXiv id on a third, in the formats real ones have
        (old-style arXiv ids before 2007, 4-digit numbers until 2014, 5 digits since)."""
        doi = arxiv_id = ""
        if rng.random() < 0.5:
            style = rng.randrange(3)
            if style == 0:
                doi = f"{DOI_PREFIX}/3{index:07d}.{rng.randint(1000000, 9999999)}"
            elif style == 1:
                doi = f"{DOI_PREFIX}/j.demo.{year}.{rng.randint(1, 12):02d}.{index:07d}"
            else:
                doi = f"{DOI_PREFIX}/v1/{year}.demo-long.{index}"
            if doi.lower() in taken_dois:
                doi = ""
        if rng.random() < 1 / 3:
            yymm = f"{year % 100:02d}{month:02d}"
            for _ in range(10):
                if year < 2007:
                    archive = rng.choice(["cs", "hep-th", "math", "cond-mat", "q-bio"])
                    candidate = f"{archive}/{yymm}{rng.randint(1, 999):03d}"
                elif year < 2015:
                    candidate = f"{yymm}.{rng.randint(1, 9999):04d}"
                else:
                    candidate = f"{yymm}.{rng.randint(1, 29999):05d}"
                if candidate not in taken_arxiv:
                    arxiv_id = candidate
                    taken_arxiv.add(candidate)
                    break
        return doi, arxiv_id

    def make_paper(
        self, rng, index, venue, pool, taken_keys, taken_dois, taken_arxiv, first_author
    ):
        # More papers in recent years, as in any growing field.
        year = FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * rng.random() ** 0.6)
        year = min(year, LAST_YEAR)
        month = rng.randint(1, 12)
        title = self.title(rng)
        doi, arxiv_id = self.identifiers(rng, index, year, month, taken_dois, taken_arxiv)
        key = DEMO_PREFIX + citation_key_base(first_author.family_name, year, title)
        if key in taken_keys:
            key = f"{key}-{index}"
        taken_keys.add(key)
        paper = Paper(
            title=title,
            slug=f"{DEMO_PREFIX}{slugify(title)[:80].strip('-')}-{index}",
            year=year,
            month=month if rng.random() < 0.7 else None,
            venue=venue,
            abstract=self.abstract(rng, pool),
            citation_key=key,
            doi=doi,
            arxiv_id=arxiv_id,
            arxiv_primary_class=rng.choice(ARXIV_CLASSES) if arxiv_id else "",
            url=f"https://doi.org/{doi}" if doi else "",
            code_url=f"https://example.org/code/{index}" if rng.random() < 0.2 else "",
            published=rng.random() >= 0.03,
        )
        kind = venue.kind if venue else Venue.Kind.OTHER
        if kind in (Venue.Kind.CONFERENCE, Venue.Kind.WORKSHOP):
            paper.entry_type = Paper.EntryType.INPROCEEDINGS
            paper.booktitle = f"Proceedings of the {venue.name}"
            paper.pages = self.pages(rng)
            paper.publisher = rng.choice(PUBLISHERS)
        elif kind == Venue.Kind.JOURNAL:
            paper.entry_type = Paper.EntryType.ARTICLE
            paper.volume = str(max(1, year - 1990 + rng.randint(0, 20)))
            paper.number = str(rng.randint(1, 12))
            paper.pages = self.pages(rng)
        elif kind == Venue.Kind.OTHER:
            paper.entry_type = rng.choice(
                [Paper.EntryType.TECHREPORT, Paper.EntryType.PHDTHESIS, Paper.EntryType.BOOK]
            )
            paper.publisher = rng.choice(PUBLISHERS)
        else:
            paper.entry_type = Paper.EntryType.MISC
        return paper

    @staticmethod
    def pages(rng: random.Random) -> str:
        start = rng.randint(1, 900)
        return f"{start}-{start + rng.randint(4, 30)}"

    # -- writing -----------------------------------------------------------------------------
    def run(self) -> Summary:
        """Write the demo rows in one transaction: a failure leaves the database as it was."""
        summary = Summary()
        with transaction.atomic():
            self.write(summary)
        # The planner's statistics still describe the tables before the load. PostgreSQL
        # refreshes them only when autovacuum comes by (never, where it is off); until then
        # it plans for nearly empty tables (at 100,000 papers a paper's .bib scanned every
        # author: 80 ms instead of 2). SQLite has none until ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return summary

    def write(self, summary: Summary) -> None:
        if not connection.features.can_return_rows_from_bulk_insert:
            # We need the ids bulk_create gives back; every supported database does that.
            raise RuntimeError("This database does not return ids from bulk inserts.")

        venues = Venue.objects.bulk_create(self.make_venues(), batch_size=BATCH_SIZE)
        venue_cumulative = zipf_cumulative_weights(len(venues), VENUE_RANK_OFFSET)
        summary.venues = len(venues)
        self.say(f"{len(venues)} venues")

        awards = Award.objects.bulk_create(
            Award(name=name, kind=kind, slug=f"{DEMO_PREFIX}{slugify(name)}")
            for name, kind in AWARDS
        )
        summary.awards = len(awards)

        pool_size = max(1, self.authors or self.papers // 3)
        bylines = self.plan_bylines(pool_size)
        # Only people who have a paper become authors (the tail of the pool may draw nothing).
        used = sorted({index for byline in bylines for index in byline})
        author_rng = self.rng("authors")
        people = [self.make_author(author_rng, index) for index in used]
        authors_by_index = {}
        for start in range(0, len(people), BATCH_SIZE):
            batch = Author.objects.bulk_create(people[start : start + BATCH_SIZE])
            authors_by_index.update(zip(used[start : start + BATCH_SIZE], batch, strict=True))
        summary.authors = len(people)
        self.say(f"{len(people)} authors")

        taken_dois = {
            d.lower() for d in Paper.objects.exclude(doi="").values_list("doi", flat=True)
        }
        taken_arxiv = set(Paper.objects.exclude(arxiv_id="").values_list("arxiv_id", flat=True))
        taken_keys = set(
            Paper.objects.filter(citation_key__startswith=DEMO_PREFIX).values_list(
                "citation_key", flat=True
            )
        )
        pool = self.sentence_pool()
        rng = self.rng("papers")
        through = Paper.awards.through
        role_through = Authorship.roles.through
        equal_role = ContributionRole.objects.built_in(ContributionRole.EQUAL_CONTRIBUTION)
        for start in range(0, self.papers, BATCH_SIZE):
            indexes = range(start, min(start + BATCH_SIZE, self.papers))
            papers = []
            for index in indexes:
                venue = None
                if rng.random() >= 0.03:
                    venue = venues[bisect(venue_cumulative, rng.random() * venue_cumulative[-1])]
                first_author = authors_by_index[bylines[index][0]]
                papers.append(
                    self.make_paper(
                        rng,
                        index + 1,
                        venue,
                        pool,
                        taken_keys,
                        taken_dois,
                        taken_arxiv,
                        first_author,
                    )
                )
            Paper.objects.bulk_create(papers)
            authorships, equal_authorships, paper_awards = [], [], []
            for index, paper in zip(indexes, papers, strict=True):
                byline = bylines[index]
                equal = 2 if len(byline) > 1 and rng.random() < 0.08 else 0
                for position, author_index in enumerate(byline, start=1):
                    authorship = Authorship(
                        paper_id=paper.pk,
                        author_id=authors_by_index[author_index].pk,
                        position=position,
                        # Now and then the last of a long byline is known only as "incl.".
                        order_known=not (position == len(byline) > 6 and rng.random() < 0.05),
                    )
                    authorships.append(authorship)
                    if position <= equal:
                        equal_authorships.append(authorship)
                if rng.random() < 0.03:
                    for award in rng.sample(awards, rng.choice([1, 1, 1, 2])):
                        paper_awards.append(through(paper_id=paper.pk, award_id=award.pk))
            Authorship.objects.bulk_create(authorships)
            role_through.objects.bulk_create(
                role_through(authorship_id=a.pk, contributionrole_id=equal_role.pk)
                for a in equal_authorships
            )
            through.objects.bulk_create(paper_awards)
            summary.papers += len(papers)
            summary.drafts += sum(not paper.published for paper in papers)
            summary.authorships += len(authorships)
            summary.paper_awards += len(paper_awards)
            self.say(f"papers {summary.papers:,}/{self.papers:,}")
