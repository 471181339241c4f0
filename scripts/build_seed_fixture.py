"""Builds fixtures/seed.json: the 20 works of the owner's publication page.

Source: ../shared/seed/000_8db3a55937988b83.txt (the scraped page, newest first) and its
README, which lists the identifiers public sources confirm; full author lists come from the
community's BibTeX in ../shared/corpus/community/seed-works-as-cited.bib (each list below
names the repository it was copied from). Everything is written out here so a reviewer can
check each value against its source; nothing is filled in that no source gives.

The works are created through the models in a throwaway in-memory database, so slugs and
citation keys come from the project's own rules, then dumped with natural keys (papers by
citation key, people/venues/awards by slug, authorships by key and position) so the fixture
loads into any database and loading it twice changes nothing.

    .venv/bin/python scripts/build_seed_fixture.py [OUTPUT]   # default: fixtures/seed.json
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "fixtures" / "seed.json"

# Timestamps the records carry: fixed, so that rebuilding gives the same file byte for byte.
RECORD_TIMESTAMP = "2025-01-01T00:00:00Z"

OWNER = "Stella Biderman"

VENUES = [
    # (short_name: the page's tag, full name, Venue.Kind value)
    (
        "NeurIPS Datasets and Benchmarks",
        "Conference on Neural Information Processing Systems (NeurIPS) Datasets and Benchmarks"
        " Track",
        "conference",
    ),
    (
        "BigScience Workshop",
        "BigScience Episode #5 -- Workshop on Challenges & Perspectives in Creating Large"
        " Language Models",
        "workshop",
    ),
    ("arXiv", "arXiv", "preprint"),
    (
        "NeurIPS Workshop",
        "Workshops at the Conference on Neural Information Processing Systems (NeurIPS)",
        "workshop",
    ),
    (
        "CIKM",
        "ACM International Conference on Information and Knowledge Management (CIKM)",
        "conference",
    ),
    ("ECCV", "European Conference on Computer Vision (ECCV)", "conference"),
    ("FAccT", "ACM Conference on Fairness, Accountability, and Transparency (FAccT)", "conference"),
    ("ICLR", "International Conference on Learning Representations (ICLR)", "conference"),
    (
        "EMNLP",
        "Conference on Empirical Methods in Natural Language Processing (EMNLP)",
        "conference",
    ),
    ("Alignment Forum", "AI Alignment Forum", "blog"),
    # The one entry without a tag names its journal in the citation.
    ("TACL", "Transactions of the Association for Computational Linguistics", "journal"),
]

AWARDS = [
    # (name as the citations close, Award.Kind value)
    ("Outstanding Paper Award", "award"),
    ("Oral Presentation", "oral"),
    ("Spotlight Paper", "spotlight"),
]

# One person written two ways by two sources: every spelling on the left becomes the right one.
SAME_PERSON = {
    "Stephen Bach": "Stephen H. Bach",  # t-zero README; the owner's citation gives the initial
    "Zheng Xin Yong": "Zheng-Xin Yong",  # t-zero README; xmtf and xwinograd hyphenate
}

# (given, particle, family) where BibTeX's "First von Last" rule would split a name wrongly.
NAME_PARTS = {
    # The owner cites him as "Le Scao, et al.": the family name is two words.
    "Teven Le Scao": ("Teven", "", "Le Scao"),
}

NEURIPS_2022_DATASETS_TRACK = (
    "Thirty-sixth Conference on Neural Information Processing Systems Datasets and Benchmarks Track"
)
BIGSCIENCE_EPISODE_5 = (
    "Proceedings of BigScience Episode #5 -- Workshop on Challenges & Perspectives in Creating"
    " Large Language Models"
)

# Full author lists the community publishes, copied in the sources' order and spelling.

# lm-evaluation-harness, lm_eval/tasks/xwinograd/README.md (muennighoff2022crosslingual).
CROSSLINGUAL_AUTHORS = (
    "Niklas Muennighoff",
    "Thomas Wang",
    "Lintang Sutawika",
    "Adam Roberts",
    "Stella Biderman",
    "Teven Le Scao",
    "M Saiful Bari",
    "Sheng Shen",
    "Zheng-Xin Yong",
    "Hailey Schoelkopf",
    "Xiangru Tang",
    "Dragomir Radev",
    "Alham Fikri Aji",
    "Khalid Almubarak",
    "Samuel Albanie",
    "Zaid Alyafeai",
    "Albert Webson",
    "Edward Raff",
    "Colin Raffel",
)
# lm-evaluation-harness, lm_eval/tasks/bigbench/README.md (srivastava2022imitation).
BIG_BENCH_AUTHORS = (
    "Aarohi Srivastava",
    "Abhinav Rastogi",
    "Abhishek Rao",
    "Abu Awal Md Shoeb",
    "Abubakar Abid",
    "Adam Fisch",
    "Adam R. Brown",
    "Adam Santoro",
    "Aditya Gupta",
    "Adrià Garriga-Alonso",
    "Agnieszka Kluska",
    "Aitor Lewkowycz",
    "Akshat Agarwal",
    "Alethea Power",
    "Alex Ray",
    "Alex Warstadt",
    "Alexander W. Kocurek",
    "Ali Safaya",
    "Ali Tazarv",
    "Alice Xiang",
    "Alicia Parrish",
    "Allen Nie",
    "Aman Hussain",
    "Amanda Askell",
    "Amanda Dsouza",
    "Ambrose Slone",
    "Ameet Rahane",
    "Anantharaman S. Iyer",
    "Anders Andreassen",
    "Andrea Madotto",
    "Andrea Santilli",
    "Andreas Stuhlmüller",
    "Andrew Dai",
    "Andrew La",
    "Andrew Lampinen",
    "Andy Zou",
    "Angela Jiang",
    "Angelica Chen",
    "Anh Vuong",
    "Animesh Gupta",
    "Anna Gottardi",
    "Antonio Norelli",
    "Anu Venkatesh",
    "Arash Gholamidavoodi",
    "Arfa Tabassum",
    "Arul Menezes",
    "Arun Kirubarajan",
    "Asher Mullokandov",
    "Ashish Sabharwal",
    "Austin Herrick",
    "Avia Efrat",
    "Aykut Erdem",
    "Ayla Karakaş",
    "B. Ryan Roberts",
    "Bao Sheng Loe",
    "Barret Zoph",
    "Bartłomiej Bojanowski",
    "Batuhan Özyurt",
    "Behnam Hedayatnia",
    "Behnam Neyshabur",
    "Benjamin Inden",
    "Benno Stein",
    "Berk Ekmekci",
    "Bill Yuchen Lin",
    "Blake Howald",
    "Cameron Diao",
    "Cameron Dour",
    "Catherine Stinson",
    "Cedrick Argueta",
    "César Ferri Ramírez",
    "Chandan Singh",
    "Charles Rathkopf",
    "Chenlin Meng",
    "Chitta Baral",
    "Chiyu Wu",
    "Chris Callison-Burch",
    "Chris Waites",
    "Christian Voigt",
    "Christopher D. Manning",
    "Christopher Potts",
    "Cindy Ramirez",
    "Clara E. Rivera",
    "Clemencia Siro",
    "Colin Raffel",
    "Courtney Ashcraft",
    "Cristina Garbacea",
    "Damien Sileo",
    "Dan Garrette",
    "Dan Hendrycks",
    "Dan Kilman",
    "Dan Roth",
    "Daniel Freeman",
    "Daniel Khashabi",
    "Daniel Levy",
    "Daniel Moseguí González",
    "Danielle Perszyk",
    "Danny Hernandez",
    "Danqi Chen",
    "Daphne Ippolito",
    "Dar Gilboa",
    "David Dohan",
    "David Drakard",
    "David Jurgens",
    "Debajyoti Datta",
    "Deep Ganguli",
    "Denis Emelin",
    "Denis Kleyko",
    "Deniz Yuret",
    "Derek Chen",
    "Derek Tam",
    "Dieuwke Hupkes",
    "Diganta Misra",
    "Dilyar Buzan",
    "Dimitri Coelho Mollo",
    "Diyi Yang",
    "Dong-Ho Lee",
    "Ekaterina Shutova",
    "Ekin Dogus Cubuk",
    "Elad Segal",
    "Eleanor Hagerman",
    "Elizabeth Barnes",
    "Elizabeth Donoway",
    "Ellie Pavlick",
    "Emanuele Rodola",
    "Emma Lam",
    "Eric Chu",
    "Eric Tang",
    "Erkut Erdem",
    "Ernie Chang",
    "Ethan A. Chi",
    "Ethan Dyer",
    "Ethan Jerzak",
    "Ethan Kim",
    "Eunice Engefu Manyasi",
    "Evgenii Zheltonozhskii",
    "Fanyue Xia",
    "Fatemeh Siar",
    "Fernando Martínez-Plumed",
    "Francesca Happé",
    "Francois Chollet",
    "Frieda Rong",
    "Gaurav Mishra",
    "Genta Indra Winata",
    "Gerard de Melo",
    "Germán Kruszewski",
    "Giambattista Parascandolo",
    "Giorgio Mariani",
    "Gloria Wang",
    "Gonzalo Jaimovitch-López",
    "Gregor Betz",
    "Guy Gur-Ari",
    "Hana Galijasevic",
    "Hannah Kim",
    "Hannah Rashkin",
    "Hannaneh Hajishirzi",
    "Harsh Mehta",
    "Hayden Bogar",
    "Henry Shevlin",
    "Hinrich Schütze",
    "Hiromu Yakura",
    "Hongming Zhang",
    "Hugh Mee Wong",
    "Ian Ng",
    "Isaac Noble",
    "Jaap Jumelet",
    "Jack Geissinger",
    "Jackson Kernion",
    "Jacob Hilton",
    "Jaehoon Lee",
    "Jaime Fernández Fisac",
    "James B. Simon",
    "James Koppel",
    "James Zheng",
    "James Zou",
    "Jan Kocoń",
    "Jana Thompson",
    "Jared Kaplan",
    "Jarema Radom",
    "Jascha Sohl-Dickstein",
    "Jason Phang",
    "Jason Wei",
    "Jason Yosinski",
    "Jekaterina Novikova",
    "Jelle Bosscher",
    "Jennifer Marsh",
    "Jeremy Kim",
    "Jeroen Taal",
    "Jesse Engel",
    "Jesujoba Alabi",
    "Jiacheng Xu",
    "Jiaming Song",
    "Jillian Tang",
    "Joan Waweru",
    "John Burden",
    "John Miller",
    "John U. Balis",
    "Jonathan Berant",
    "Jörg Frohberg",
    "Jos Rozen",
    "Jose Hernandez-Orallo",
    "Joseph Boudeman",
    "Joseph Jones",
    "Joshua B. Tenenbaum",
    "Joshua S. Rule",
    "Joyce Chua",
    "Kamil Kanclerz",
    "Karen Livescu",
    "Karl Krauth",
    "Karthik Gopalakrishnan",
    "Katerina Ignatyeva",
    "Katja Markert",
    "Kaustubh D. Dhole",
    "Kevin Gimpel",
    "Kevin Omondi",
    "Kory Mathewson",
    "Kristen Chiafullo",
    "Ksenia Shkaruta",
    "Kumar Shridhar",
    "Kyle McDonell",
    "Kyle Richardson",
    "Laria Reynolds",
    "Leo Gao",
    "Li Zhang",
    "Liam Dugan",
    "Lianhui Qin",
    "Lidia Contreras-Ochando",
    "Louis-Philippe Morency",
    "Luca Moschella",
    "Lucas Lam",
    "Lucy Noble",
    "Ludwig Schmidt",
    "Luheng He",
    "Luis Oliveros Colón",
    "Luke Metz",
    "Lütfi Kerem Şenel",
    "Maarten Bosma",
    "Maarten Sap",
    "Maartje ter Hoeve",
    "Maheen Farooqi",
    "Manaal Faruqui",
    "Mantas Mazeika",
    "Marco Baturan",
    "Marco Marelli",
    "Marco Maru",
    "Maria Jose Ramírez Quintana",
    "Marie Tolkiehn",
    "Mario Giulianelli",
    "Martha Lewis",
    "Martin Potthast",
    "Matthew L. Leavitt",
    "Matthias Hagen",
    "Mátyás Schubert",
    "Medina Orduna Baitemirova",
    "Melody Arnaud",
    "Melvin McElrath",
    "Michael A. Yee",
    "Michael Cohen",
    "Michael Gu",
    "Michael Ivanitskiy",
    "Michael Starritt",
    "Michael Strube",
    "Michał Swędrowski",
    "Michele Bevilacqua",
    "Michihiro Yasunaga",
    "Mihir Kale",
    "Mike Cain",
    "Mimee Xu",
    "Mirac Suzgun",
    "Mo Tiwari",
    "Mohit Bansal",
    "Moin Aminnaseri",
    "Mor Geva",
    "Mozhdeh Gheini",
    "Mukund Varma T",
    "Nanyun Peng",
    "Nathan Chi",
    "Nayeon Lee",
    "Neta Gur-Ari Krakover",
    "Nicholas Cameron",
    "Nicholas Roberts",
    "Nick Doiron",
    "Nikita Nangia",
    "Niklas Deckers",
    "Niklas Muennighoff",
    "Nitish Shirish Keskar",
    "Niveditha S. Iyer",
    "Noah Constant",
    "Noah Fiedel",
    "Nuan Wen",
    "Oliver Zhang",
    "Omar Agha",
    "Omar Elbaghdadi",
    "Omer Levy",
    "Owain Evans",
    "Pablo Antonio Moreno Casares",
    "Parth Doshi",
    "Pascale Fung",
    "Paul Pu Liang",
    "Paul Vicol",
    "Pegah Alipoormolabashi",
    "Peiyuan Liao",
    "Percy Liang",
    "Peter Chang",
    "Peter Eckersley",
    "Phu Mon Htut",
    "Pinyu Hwang",
    "Piotr Miłkowski",
    "Piyush Patil",
    "Pouya Pezeshkpour",
    "Priti Oli",
    "Qiaozhu Mei",
    "Qing Lyu",
    "Qinlang Chen",
    "Rabin Banjade",
    "Rachel Etta Rudolph",
    "Raefer Gabriel",
    "Rahel Habacker",
    "Ramón Risco Delgado",
    "Raphaël Millière",
    "Rhythm Garg",
    "Richard Barnes",
    "Rif A. Saurous",
    "Riku Arakawa",
    "Robbe Raymaekers",
    "Robert Frank",
    "Rohan Sikand",
    "Roman Novak",
    "Roman Sitelew",
    "Ronan LeBras",
    "Rosanne Liu",
    "Rowan Jacobs",
    "Rui Zhang",
    "Ruslan Salakhutdinov",
    "Ryan Chi",
    "Ryan Lee",
    "Ryan Stovall",
    "Ryan Teehan",
    "Rylan Yang",
    "Sahib Singh",
    "Saif M. Mohammad",
    "Sajant Anand",
    "Sam Dillavou",
    "Sam Shleifer",
    "Sam Wiseman",
    "Samuel Gruetter",
    "Samuel R. Bowman",
    "Samuel S. Schoenholz",
    "Sanghyun Han",
    "Sanjeev Kwatra",
    "Sarah A. Rous",
    "Sarik Ghazarian",
    "Sayan Ghosh",
    "Sean Casey",
    "Sebastian Bischoff",
    "Sebastian Gehrmann",
    "Sebastian Schuster",
    "Sepideh Sadeghi",
    "Shadi Hamdan",
    "Sharon Zhou",
    "Shashank Srivastava",
    "Sherry Shi",
    "Shikhar Singh",
    "Shima Asaadi",
    "Shixiang Shane Gu",
    "Shubh Pachchigar",
    "Shubham Toshniwal",
    "Shyam Upadhyay",
    # The source's "Shyamolima and Debnath" splits one person (arXiv: "Shyamolima (Shammie)
    # Debnath") in two.
    "Shyamolima Debnath",
    "Siamak Shakeri",
    "Simon Thormeyer",
    "Simone Melzi",
    "Siva Reddy",
    "Sneha Priscilla Makini",
    "Soo-Hwan Lee",
    "Spencer Torene",
    "Sriharsha Hatwar",
    "Stanislas Dehaene",
    "Stefan Divic",
    "Stefano Ermon",
    "Stella Biderman",
    "Stephanie Lin",
    "Stephen Prasad",
    "Steven T. Piantadosi",
    "Stuart M. Shieber",
    "Summer Misherghi",
    "Svetlana Kiritchenko",
    "Swaroop Mishra",
    "Tal Linzen",
    "Tal Schuster",
    "Tao Li",
    "Tao Yu",
    "Tariq Ali",
    "Tatsu Hashimoto",
    "Te-Lin Wu",
    "Théo Desbordes",
    "Theodore Rothschild",
    "Thomas Phan",
    "Tianle Wang",
    "Tiberius Nkinyili",
    "Timo Schick",
    "Timofei Kornev",
    "Timothy Telleen-Lawton",
    "Titus Tunduny",
    "Tobias Gerstenberg",
    "Trenton Chang",
    "Trishala Neeraj",
    "Tushar Khot",
    "Tyler Shultz",
    "Uri Shaham",
    "Vedant Misra",
    "Vera Demberg",
    "Victoria Nyamai",
    "Vikas Raunak",
    "Vinay Ramasesh",
    "Vinay Uday Prabhu",
    "Vishakh Padmakumar",
    "Vivek Srikumar",
    "William Fedus",
    "William Saunders",
    "William Zhang",
    "Wout Vossen",
    "Xiang Ren",
    "Xiaoyu Tong",
    "Xinran Zhao",
    "Xinyi Wu",
    "Xudong Shen",
    "Yadollah Yaghoobzadeh",
    "Yair Lakretz",
    "Yangqiu Song",
    "Yasaman Bahri",
    "Yejin Choi",
    "Yichi Yang",
    "Yiding Hao",
    "Yifu Chen",
    "Yonatan Belinkov",
    "Yu Hou",
    "Yufang Hou",
    "Yuntao Bai",
    "Zachary Seid",
    "Zhuoye Zhao",
    "Zijian Wang",
    "Zijie J. Wang",
    "Zirui Wang",
    "Ziyi Wu",
)
# t-zero README.md (sanh2022multitask); Stephen Bach as the owner writes him (SAME_PERSON).
T0_AUTHORS = (
    "Victor Sanh",
    "Albert Webson",
    "Colin Raffel",
    "Stephen Bach",
    "Lintang Sutawika",
    "Zaid Alyafeai",
    "Antoine Chaffin",
    "Arnaud Stiegler",
    "Arun Raja",
    "Manan Dey",
    "M Saiful Bari",
    "Canwen Xu",
    "Urmish Thakker",
    "Shanya Sharma Sharma",
    "Eliza Szczechla",
    "Taewoon Kim",
    "Gunjan Chhablani",
    "Nihal Nayak",
    "Debajyoti Datta",
    "Jonathan Chang",
    "Mike Tian-Jian Jiang",
    "Han Wang",
    "Matteo Manica",
    "Sheng Shen",
    "Zheng Xin Yong",
    "Harshit Pandey",
    "Rachel Bawden",
    "Thomas Wang",
    "Trishala Neeraj",
    "Jos Rozen",
    "Abheesht Sharma",
    "Andrea Santilli",
    "Thibault Fevry",
    "Jason Alan Fries",
    "Ryan Teehan",
    "Teven Le Scao",
    "Stella Biderman",
    "Leo Gao",
    "Thomas Wolf",
    "Alexander M Rush",
)
# open_clip README.md (schuhmann2022laionb).
LAION_5B_AUTHORS = (
    "Christoph Schuhmann",
    "Romain Beaumont",
    "Richard Vencu",
    "Cade W Gordon",
    "Ross Wightman",
    "Mehdi Cherti",
    "Theo Coombes",
    "Aarush Katta",
    "Clayton Mullis",
    "Mitchell Wortsman",
    "Patrick Schramowski",
    "Srivatsa R Kundurthy",
    "Katherine Crowson",
    "Ludwig Schmidt",
    "Robert Kaczmarczyk",
    "Jenia Jitsev",
)

# The works, in the page's order (newest first). Per work:
#   authors       byline order as far as it is known; a trailing "*" marks equal contribution.
#                 Where the page gives a family name only, the person is written in full when
#                 exactly one person of that name appears in the seed or the community lists.
#   also_includes people the citation names only as "incl.": on the paper, place unknown.
#   authors_partial  the byline goes on beyond the people stored ("et al.").
#   title         the citation's spelling (the heading's when there is no citation).
WORKS = [
    {
        "title": "Crosslingual Generalization through Multitask Finetuning",
        "venue": "arXiv",
        "entry_type": "misc",
        "year": 2022,
        # Full list: lm-evaluation-harness lm_eval/tasks/xwinograd/README.md (xmtf's README
        # stops at "and others").
        "authors": CROSSLINGUAL_AUTHORS,
        "arxiv_id": "2211.01786",
        "arxiv_primary_class": "cs.CL",
        "citation_text": (
            'Muennighoff, et al. (incl. Sutawika, Biderman, and Schoelkopf). "Crosslingual '
            'Generalization through Multitask Finetuning." arXiv preprint arXiv:2211.01786, '
            "2022."
        ),
        "abstract": (
            (
                "Multitask prompted finetuning (MTF) has been shown to help large language "
                "models generalize to new tasks in a zero-shot setting, but so far "
                "explorations of MTF have focused on English data and models. We apply MTF to"
                " the pretrained multilingual BLOOM and mT5 model families to produce "
                "finetuned variants called BLOOMZ and mT0. We find finetuning large "
                "multilingual language models on English tasks with English prompts allows "
                "for task generalization to non-English languages that appear only in the "
                "pretraining corpus. Finetuning on multilingual tasks with English prompts "
                "further improves performance on English and non-English tasks leading to "
                "various state-of-the-art zero-shot results. We also investigate finetuning "
                "on multilingual tasks with prompts that have been machine-translated from "
                "English to match the language of each dataset. We find training on these "
                "machine-translated prompts leads to better performance on human-written "
                "prompts in the respective languages. Surprisingly, we find models are "
                "capable of zero-shot generalization to tasks in languages they have never "
                "intentionally seen. We conjecture that the models are learning higher-level "
                "capabilities that are both task- and language-agnostic. In addition, we "
                "introduce xP3, a composite of supervised datasets in 46 languages with "
                "English and machine-translated prompts. Our code, datasets and models are "
                "publicly available at this URL."
            ),
        ),
    },
    {
        "title": (
            "LAION-5B: An open large-scale dataset for training next generation image-text models"
        ),
        "venue": "NeurIPS Datasets and Benchmarks",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": NEURIPS_2022_DATASETS_TRACK,
        "authors": LAION_5B_AUTHORS,
        "url": "https://openreview.net/forum?id=M3Y74vmsMcY",
        "awards": ["Outstanding Paper Award"],
        "citation_text": (
            'Schuhmann, et al. (incl. Crowson). "LAION-5B: An open large-scale dataset for '
            'training next generation image-text models." Thirty-sixth Conference on Neural '
            "Information Processing Systems Datasets and Benchmarks Track, 2022. Outstanding "
            "Paper Award."
        ),
        "abstract": (
            (
                "Groundbreaking language-vision architectures like CLIP and DALL-E proved the"
                " utility of training on large amounts of noisy image-text data, without "
                "relying on expensive accurate labels used in standard vision unimodal "
                "supervised learning. The resulting models showed capabilities of strong "
                "text-guided image generation and transfer to downstream tasks, while "
                "performing remarkably at zero-shot classification with noteworthy "
                "out-of-distribution robustness. Since then, large-scale language-vision "
                "models like ALIGN, BASIC, GLIDE, Flamingo and Imagen made further "
                "improvements. Studying the training and capabilities of such models requires"
                " datasets containing billions of image-text pairs. Until now, no datasets of"
                " this size have been made openly available for the broader research "
                "community. To address this problem and democratize research on large-scale "
                "multi-modal models, we present LAION-5B - a dataset consisting of 5.85 "
                "billion CLIP-filtered image-text pairs, of which 2.32B contain English "
                "language. We show successful replication and fine-tuning of foundational "
                "models like CLIP, GLIDE and Stable Diffusion using the dataset, and discuss "
                "further experiments enabled with an openly available dataset of this scale. "
                "Additionally we provide several nearest neighbor indices, an improved "
                "web-interface for dataset exploration and subset generation, and detection "
                "scores for watermark, NSFW, and toxic content detection. Announcement page "
                "this URL."
            ),
        ),
    },
    {
        # No citation line on the page: no authors, no year.
        "title": (
            "Robust Preference Learning for Storytelling via Contrastive Reinforcement Learning"
        ),
        "venue": "arXiv",
        "entry_type": "misc",
        "year": None,
        "authors": [],
        "citation_text": "",
        "abstract": (
            (
                "Controlled automated story generation seeks to generate natural language "
                "stories satisfying constraints from natural language critiques or "
                "preferences. Existing methods to control for story preference utilize prompt"
                " engineering which is labor intensive and often inconsistent. They may also "
                "use logit-manipulation methods which require annotated datasets to exist for"
                " the desired attributes. To address these issues, we first train a "
                "contrastive bi-encoder model to align stories with corresponding human "
                "critiques, named CARP, building a general purpose preference model. This is "
                "subsequently used as a reward function to fine-tune a generative language "
                "model via reinforcement learning. However, simply fine-tuning a generative "
                "language model with a contrastive reward model does not always reliably "
                "result in a story generation system capable of generating stories that meet "
                "user preferences. To increase story generation robustness we further "
                "fine-tune the contrastive reward model using a prompt-learning technique. A "
                "human participant study is then conducted comparing generations from our "
                "full system, ablations, and two baselines. We show that the full fine-tuning"
                " pipeline results in a story generator preferred over a LLM 20x as large as "
                "well as logit-based methods. This motivates the use of contrastive learning "
                "for general purpose human preference modeling."
            ),
        ),
    },
    {
        "title": "EleutherAI: Going Beyond “Open Science” to “Science in the Open”",
        "venue": "NeurIPS Workshop",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": "Broadening Research Collaborations Workshop in ML @ NeurIPS",
        "authors": [
            "Jason Phang",
            "Herbie Bradley",
            "Leo Gao",
            "Louis Castricato",
            "Stella Biderman",
        ],
        "awards": ["Oral Presentation"],
        "citation_text": (
            "Jason Phang, Herbie Bradley, Leo Gao, Louis Castricato, and Stella Biderman. "
            "“EleutherAI: Going Beyond “Open Science” to “Science in the Open.” Broadening "
            "Research Collaborations Workshop in ML @ NeurIPS, 2022. Oral Presentation"
        ),
        "abstract": (
            (
                "Over the past two years, EleutherAI has established itself as a radically "
                "novel initiative aimed at both promoting open-source research and conducting"
                " research in a transparent, openly accessible and collaborative manner. "
                "EleutherAI's approach to research goes beyond transparency: by doing "
                "research entirely in public, anyone in the world can observe and contribute "
                "at every stage. Our work has been received positively and has resulted in "
                "several high-impact projects in Natural Language Processing and other "
                "fields. In this paper, we describe our experience doing public-facing "
                "machine learning research, the benefits we believe this approach brings, and"
                " the pitfalls we have encountered."
            ),
        ),
    },
    {
        "title": "Fooling MOSS Detection with Pretrained Language Models",
        "venue": "CIKM",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": (
            "Proceedings of the 31st ACM International Conference on Information & Knowledge"
            " Management"
        ),
        "pages": "2933-2943",
        "authors": ["Stella Biderman", "Edward Raff"],
        "citation_text": (
            'Stella Biderman and Edward Raff. "Fooling MOSS Detection with Pretrained '
            'Language Models." In the Proceedings of the 31st ACM International Conference on'
            " Information & Knowledge Management, 2933-2943, 2022"
        ),
        "abstract": (
            (
                "As artificial intelligence (AI) technologies become increasingly powerful "
                "and prominent in society, their misuse is a growing concern. In educational "
                "settings, AI technologies could be used by students to cheat on assignments "
                "and exams. In this paper we explore whether transformers can be used to "
                "solve introductory level programming assignments while bypassing commonly "
                "used AI tools to detect similarities between pieces of software. We find "
                "that a student using GPT-J [Wang and Komatsuzaki, 2021] can complete "
                "introductory level programming assignments without triggering suspicion from"
                " MOSS [Aiken, 2000], a widely used software similarity and plagiarism "
                "detection tool. This holds despite the fact that GPT-J was not trained on "
                "the problems in question and is not provided with any examples to work from."
                " We further find that the code written by GPT-J is diverse in structure, "
                "lacking any particular tells that future plagiarism detection techniques may"
                " use to try to identify algorithmically generated code. We conclude with a "
                "discussion of the ethical and educational implications of large language "
                "models and directions for future research."
            ),
        ),
    },
    {
        "title": "BigBIO: A Framework for Data-Centric Biomedical Natural Language Processing",
        "venue": "NeurIPS Datasets and Benchmarks",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": NEURIPS_2022_DATASETS_TRACK,
        # "Fries": Jason Alan Fries, the only Fries in the seed's lists (T0). No source gives
        # Weber's or Seelam's given name.
        "authors": ["Jason Alan Fries", "Weber", "Seelam"],
        "also_includes": ["Stella Biderman"],
        "authors_partial": True,
        "citation_text": (
            'Fries, Weber, Seelam, et al. (incl. Biderman). "BigBIO: A Framework for '
            'Data-Centric Biomedical Natural Language Processing." In the Thirty-sixth '
            "Conference on Neural Information Processing Systems Datasets and Benchmarks "
            "Track, 2022."
        ),
        "abstract": (
            (
                "Training and evaluating language models increasingly requires the "
                "construction of meta-datasets --diverse collections of curated data with "
                "clear provenance. Natural language prompting has recently lead to improved "
                "zero-shot generalization by transforming existing, supervised datasets into "
                "a diversity of novel pretraining tasks, highlighting the benefits of "
                "meta-dataset curation. While successful in general-domain text, translating "
                "these data-centric approaches to biomedical language modeling remains "
                "challenging, as labeled biomedical datasets are significantly "
                "underrepresented in popular data hubs. To address this challenge, we "
                "introduce BigBIO a community library of 126+ biomedical NLP datasets, "
                "currently covering 12 task categories and 10+ languages. BigBIO facilitates "
                "reproducible meta-dataset curation via programmatic access to datasets and "
                "their metadata, and is compatible with current platforms for prompt "
                "engineering and end-to-end few/zero shot language model evaluation. We "
                "discuss our process for task schema harmonization, data auditing, "
                "contribution guidelines, and outline two illustrative use cases: zero-shot "
                "evaluation of biomedical prompts and large-scale, multi-task learning. "
                "BigBIO is an ongoing community effort and is available at this URL."
            ),
        ),
    },
    {
        "title": (
            "Beyond the Imitation Game: Quantifying and extrapolating the capabilities of"
            " language models"
        ),
        "venue": "arXiv",
        "entry_type": "misc",
        "year": 2022,
        # Full list: lm-evaluation-harness lm_eval/tasks/bigbench/README.md.
        "authors": BIG_BENCH_AUTHORS,
        "arxiv_id": "2206.04615",
        "arxiv_primary_class": "cs.CL",
        "citation_text": (
            'Srivastava, Aarohi, et al. (incl. Phang, Gao, and Biderman). "Beyond the '
            "Imitation Game: Quantifying and extrapolating the capabilities of language "
            'models." arXiv preprint arXiv:2206.04615, 2022.'
        ),
        "abstract": (
            (
                "Language models demonstrate both quantitative improvement and new "
                "qualitative capabilities with increasing scale. Despite their potentially "
                "transformative impact, these new capabilities are as yet poorly "
                "characterized. In order to inform future research, prepare for disruptive "
                "new model capabilities, and ameliorate socially harmful effects, it is vital"
                " that we understand the present and near-future capabilities and limitations"
                " of language models. To address this challenge, we introduce the Beyond the "
                "Imitation Game benchmark (BIG-bench). BIG-bench currently consists of 204 "
                "tasks, contributed by 442 authors across 132 institutions. Task topics are "
                "diverse, drawing problems from linguistics, childhood development, math, "
                "common-sense reasoning, biology, physics, social bias, software development,"
                " and beyond. BIG-bench focuses on tasks that are believed to be beyond the "
                "capabilities of current language models. We evaluate the behavior of "
                "OpenAI's GPT models, Google-internal dense transformer architectures, and "
                "Switch-style sparse transformers on BIG-bench, across model sizes spanning "
                "millions to hundreds of billions of parameters. In addition, a team of human"
                " expert raters performed all tasks in order to provide a strong baseline. "
                "Findings include: model performance and calibration both improve with scale,"
                " but are poor in absolute terms (and when compared with rater performance); "
                "performance is remarkably similar across model classes, though with benefits"
                " from sparsity; tasks that improve gradually and predictably commonly "
                "involve a large knowledge or memorization component, whereas tasks that "
                'exhibit "breakthrough" behavior at a critical scale often involve multiple '
                "steps or components, or brittle metrics; social bias typically increases "
                "with scale in settings with ambiguous context, but this can be improved with"
                " prompting."
            ),
        ),
    },
    {
        "title": "The BigScience ROOTS Corpus: A 1.6 TB Composite Multilingual Dataset",
        "venue": "NeurIPS Datasets and Benchmarks",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": NEURIPS_2022_DATASETS_TRACK,
        "authors": ["Laurençon"],  # no source gives the given name
        "also_includes": ["Stella Biderman"],
        "authors_partial": True,
        "awards": ["Oral Presentation"],
        "citation_text": (
            'Laurençon, et al. (incl. Biderman). "The BigScience ROOTS Corpus: A 1.6 TB '
            'Composite Multilingual Dataset." Thirty-sixth Conference on Neural Information '
            "Processing Systems Datasets and Benchmarks Track, 2022. Oral Presentation"
        ),
        "abstract": (
            (
                "As language models grow ever larger, the need for large-scale high-quality "
                "text datasets has never been more pressing, especially in multilingual "
                "settings. The BigScience workshop, a 1-year international and "
                "multidisciplinary initiative, was formed with the goal of researching and "
                "training large language models as a values-driven undertaking, putting "
                "issues of ethics, harm, and governance in the foreground. This paper "
                "documents the data creation and curation efforts undertaken by BigScience to"
                " assemble the Responsible Open-science Open-collaboration Text Sources "
                "(ROOTS) corpus, a 1.6TB dataset spanning 59 languages that was used to train"
                " the 176-billion-parameter BigScience Large Open-science Open-access "
                "Multilingual (BLOOM) language model. We further release a large initial "
                "subset of the corpus and analyses thereof, and hope to empower large-scale "
                "monolingual and multilingual modeling projects with both the data and the "
                "processing tools, as well as stimulate research around this large "
                "multilingual corpus."
            ),
        ),
    },
    {
        "title": (
            "You reap what you sow: On the Challenges of Bias Evaluation Under Multilingual"
            " Settings"
        ),
        "venue": "BigScience Workshop",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": BIGSCIENCE_EPISODE_5,
        "authors": ["Zeerak Talat", "Aurélie Névéol"],
        "also_includes": ["Stella Biderman"],
        "authors_partial": True,
        "citation_text": (
            'Zeerak Talat, Aurélie Névéol, et al. (incl. Stella Biderman). "You reap what you'
            ' sow: On the Challenges of Bias Evaluation Under Multilingual Settings." In '
            "Proceedings of BigScience Episode #5 -- Workshop on Challenges & Perspectives in"
            " Creating Large Language Models, 2022."
        ),
        "abstract": (
            (
                "Evaluating bias, fairness, and social impact in monolingual language models "
                "is a difficult task. This challenge is further compounded when language "
                "modeling occurs in a multilingual context. Considering the implication of "
                "evaluation biases for large multilingual language models, we situate the "
                "discussion of bias evaluation within a wider context of social scientific "
                "research with computational work.We highlight three dimensions of developing"
                " multilingual bias evaluation frameworks: (1) increasing transparency "
                "through documentation, (2) expanding targets of bias beyond gender, and (3) "
                "addressing cultural differences that exist between languages.We further "
                "discuss the power dynamics and consequences of training large language "
                "models and recommend that researchers remain cognizant of the ramifications "
                "of developing such technologies."
            ),
        ),
    },
    {
        "title": (
            "VQGAN-CLIP: Open Domain Image Generation and Editing with Natural Language Guidance"
        ),
        "venue": "ECCV",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": "Proceedings of the European Conference on Computer Vision (ECCV)",
        "authors": [
            "Katherine Crowson*",
            "Stella Biderman*",
            "Daniel Kornis",
            "Dashiell Stander",
            "Eric Hallahan",
            "Louis Castricato",
            "Edward Raff",
        ],
        # arXiv record in community/ (its DataCite DOI names the arXiv version, not the ECCV
        # paper, so the DOI field stays empty).
        "arxiv_id": "2204.08583",
        "arxiv_primary_class": "cs.CV",
        "url": "https://arxiv.org/abs/2204.08583",
        "citation_text": (
            "Katherine Crowson*, Stella Biderman*, Daniel Kornis, Dashiell Stander, Eric "
            "Hallahan, Louis Castricato, and Edward Raff. “VQGAN-CLIP: Open Domain Image "
            "Generation and Editing with Natural Language Guidance.” In Proceedings of the "
            "European Conference on Computer Vision (ECCV), 2022."
        ),
        "abstract": (
            (
                "Generating and editing images from open domain text prompts is a challenging"
                " task that heretofore has required expensive and specially trained models. "
                "We demonstrate a novel methodology for both tasks which is capable of "
                "producing images of high visual quality from text prompts of significant "
                "semantic complexity without any training by using a multimodal encoder to "
                "guide image generations. We demonstrate on a variety of tasks how using CLIP"
                " [37] to guide VQGAN [11] produces higher visual quality outputs than prior,"
                " less flexible approaches like DALL-E [38], GLIDE [33] and Open-Edit [24], "
                "despite not being trained for the tasks presented. Our code is available in "
                "a public repository."
            ),
        ),
    },
    {
        "title": "Data Governance in the Age of Large-Scale Data-Driven Language Technology",
        "venue": "FAccT",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": "Proceedings of ACM Conference on Fairness, Accountability, and Transparency",
        "authors": ["Jernite", "Nguyen"],  # no source gives their given names
        "also_includes": ["Stella Biderman"],
        "authors_partial": True,
        "citation_text": (
            'Jernite, Nguyen, et al. (incl. Stella Biderman). "Data Governance in the Age of '
            'Large-Scale Data-Driven Language Technology." In the Proceedings of ACM '
            "Conference on Fairness, Accountability, and Transparency. 2022"
        ),
        "abstract": (
            (
                "The recent emergence and adoption of Machine Learning technology, and "
                "specifically of Large Language Models, has drawn attention to the need for "
                "systematic and transparent management of language data. This work proposes "
                "an approach to global language data governance that attempts to organize "
                "data management amongst stakeholders, values, and rights. Our proposal is "
                "informed by prior work on distributed governance that accounts for human "
                "values and grounded by an international research collaboration that brings "
                "together researchers and practitioners from 60 countries. The framework we "
                "present is a multi-party international governance structure focused on "
                "language data, and incorporating technical and organizational tools needed "
                "to support its work."
            ),
        ),
    },
    {
        "title": "Multitask Prompted Training Enables Zero-Shot Task Generalization",
        "venue": "ICLR",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": "Tenth International Conference on Learning Representations (ICLR)",
        # The t-zero README lists 40 people; the owner's citation counts 41 (4 + "37 others"),
        # so one is missing from the public list and the byline stays marked partial. The
        # owner's citation stars the first four (equal contribution).
        "authors": [
            "Victor Sanh*",
            "Albert Webson*",
            "Colin Raffel*",
            "Stephen H. Bach*",
            *T0_AUTHORS[4:],
        ],
        "authors_partial": True,
        "url": "https://openreview.net/forum?id=9Vrb9D0WI4",
        "awards": ["Spotlight Paper"],
        "citation_text": (
            "Victor Sanh*, Albert Webson*, Colin Raffel*, Stephen H. Bach*, and 37 others "
            "(incl. Stella Biderman, Leo Gao, and Lintang Sutawika). “Multitask Prompted "
            "Training Enables Zero-Shot Task Generalization.” In the Tenth International "
            "Conference on Learning Representations (ICLR), 2022. Spotlight Paper"
        ),
        "abstract": (
            (
                "Large language models have recently been shown to attain reasonable "
                "zero-shot generalization on a diverse set of tasks (Brown et al., 2020). It "
                "has been hypothesized that this is a consequence of implicit multitask "
                "learning in language models' pretraining (Radford et al., 2019). Can "
                "zero-shot generalization instead be directly induced by explicit multitask "
                "learning? To test this question at scale, we develop a system for easily "
                "mapping any natural language tasks into a human-readable prompted form. We "
                "convert a large set of supervised datasets, each with multiple prompts with "
                "diverse wording. These prompted datasets allow for benchmarking the ability "
                "of a model to perform completely held-out tasks. We fine-tune a pretrained "
                "encoder-decoder model (Raffel et al., 2020; Lester et al., 2021) on this "
                "multitask mixture covering a wide variety of tasks. The model attains strong"
                " zero-shot performance on several standard datasets, often outperforming "
                "models up to 16x its size. Further, our approach attains strong performance "
                "on a subset of tasks from the BIG-bench benchmark, outperforming models up "
                "to 6x its size. All trained models are available at this URL and all prompts"
                " are available at this URL."
            ),
        ),
    },
    {
        "title": "GPT-NeoX-20B: An Open-Source Autoregressive Language Model",
        "venue": "BigScience Workshop",
        "entry_type": "inproceedings",
        "year": 2022,
        "month": 5,
        # Proceedings details: the ACL Anthology entry as cited in community/.
        "booktitle": BIGSCIENCE_EPISODE_5,
        "publisher": "Association for Computational Linguistics",
        "pages": "95-136",
        "doi": "10.18653/v1/2022.bigscience-1.9",
        "arxiv_id": "2204.06745",
        "url": "https://aclanthology.org/2022.bigscience-1.9",
        "extra_fields": {"address": "virtual+Dublin"},
        "authors": [
            "Sid Black*",
            "Stella Biderman*",
            "Eric Hallahan*",
            "Quentin Anthony",
            "Leo Gao",
            "Laurence Golding",
            "Horace He",
            "Connor Leahy",
            "Kyle McDonell",
            "Jason Phang",
            "Michael Pieler",
            "USVSN Sai Prashanth",
            "Shivanshu Purohit",
            "Laria Reynolds",
            "Jonathan Tow",
            "Ben Wang",
            "Samuel Weinbach",
        ],
        "citation_text": (
            "Sid Black*, Stella Biderman*, Eric Hallahan*, Quentin Anthony, Leo Gao, Laurence"
            " Golding, Horace He, Connor Leahy, Kyle McDonell, Jason Phang, Michael Pieler, "
            "USVSN Sai Prashanth, Shivanshu Purohit, Laria Reynolds, Jonathan Tow, Ben Wang, "
            "and Samuel Weinbach. “GPT-NeoX-20B: An Open-Source Autoregressive Language "
            "Model.” In Proceedings of the ACL Workshop on Challenges & Perspectives in "
            "Creating Large Language Models, 2022."
        ),
        "abstract": (
            (
                "We introduce GPT-NeoX-20B, a 20 billion parameter autoregressive language "
                "model trained on the Pile, whose weights will be made freely and openly "
                "available to the public through a permissive license. It is, to the best of "
                "our knowledge, the largest dense autoregressive model that has publicly "
                "available weights at the time of submission. In this work, we describe "
                "GPT-NeoX-20B's architecture and training and evaluate its performance on a "
                "range of language-understanding, mathematics, and knowledge-based tasks. We "
                "find that GPT-NeoX-20B is a particularly powerful few-shot reasoner and "
                "gains far more in performance when evaluated five-shot than similarly sized "
                "GPT-3 and FairSeq models. We open-source the training and evaluation code, "
                "as well as the model weights, at this URL."
            ),
        ),
    },
    {
        "title": "Quality at a Glance: An Audit of Web-Crawled Multilingual Datasets",
        "venue": "TACL",
        "entry_type": "article",
        "year": 2022,
        "volume": "10",
        "pages": "50-72",
        "authors": ["Julia Kreutzer", "Isaac Caswell"],
        "also_includes": ["Stella Biderman"],
        "authors_partial": True,
        "citation_text": (
            "Julia Kreutzer, Isaac Caswell, et al. (incl. Biderman). “Quality at a Glance: An"
            " Audit of Web-Crawled Multilingual Datasets.” Transactions of the Association "
            "for Computational Linguistics 10, 50-72. 2022."
        ),
        "abstract": (
            (
                "With the success of large-scale pre-training and multilingual modeling in "
                "Natural Language Processing (NLP), recent years have seen a proliferation of"
                " large, web-mined text datasets covering hundreds of languages. We manually "
                "audit the quality of 205 language-specific corpora released with five major "
                "public datasets (CCAligned, ParaCrawl, WikiMatrix, OSCAR, mC4). "
                "Lower-resource corpora have systematic issues: At least 15 corpora have no "
                "usable text, and a significant fraction contains less than 50% sentences of "
                "acceptable quality. In addition, many are mislabeled or use "
                "nonstandard/ambiguous language codes. We demonstrate that these issues are "
                "easy to detect even for non-proficient speakers, and supplement the human "
                "audit with automatic analyses. Finally, we recommend techniques to evaluate "
                "and improve multilingual corpora and discuss potential risks that come with "
                "low-quality data releases."
            ),
        ),
    },
    {
        "title": (
            "Documenting Geographically and Contextually Diverse Data Sources: The BigScience"
            " Catalogue of Language Data and Resources"
        ),
        "venue": "arXiv",
        "entry_type": "misc",
        "year": 2022,
        # "Alyafeai": Zaid Alyafeai, the only Alyafeai in the seed's lists (T0, xwinograd).
        # No source gives McMillan-Major's given name.
        "authors": ["McMillan-Major", "Zaid Alyafeai", "Stella Biderman"],
        "authors_partial": True,
        "arxiv_id": "2201.10066",
        "citation_text": (
            'McMillan-Major, Alyafeai, Biderman, et al. "Documenting Geographically and '
            "Contextually Diverse Data Sources: The BigScience Catalogue of Language Data and"
            ' Resources." arXiv preprint arXiv:2201.10066, 2022.'
        ),
        "abstract": (
            (
                "In recent years, large-scale data collection efforts have prioritized the "
                "amount of data collected in order to improve the modeling capabilities of "
                "large language models. This prioritization, however, has resulted in "
                "concerns with respect to the rights of data subjects represented in data "
                "collections, particularly when considering the difficulty in interrogating "
                "these collections due to insufficient documentation and tools for analysis. "
                "Mindful of these pitfalls, we present our methodology for a "
                "documentation-first, human-centered data collection project as part of the "
                "BigScience initiative. We identified a geographically diverse set of target "
                "language groups (Arabic, Basque, Chinese, Catalan, English, French, Indic "
                "languages, Indonesian, Niger-Congo languages, Portuguese, Spanish, and "
                "Vietnamese, as well as programming languages) for which to collect metadata "
                "on potential data sources. To structure this effort, we developed our online"
                " catalogue as a supporting tool for gathering metadata through organized "
                "public hackathons. We present our development process; analyses of the "
                "resulting resource metadata, including distributions over languages, "
                "regions, and resource types; and our lessons learned in this endeavor."
            ),
        ),
    },
    {
        "title": "Datasheet for the Pile",
        "venue": "arXiv",
        "entry_type": "misc",
        "year": 2022,
        "authors": ["Stella Biderman", "Kieran Bicheno", "Leo Gao"],
        "arxiv_id": "2201.07311",  # pythia README; DBLP
        "url": "https://arxiv.org/abs/2201.07311",  # DBLP
        "citation_text": (
            "Stella Biderman, Kieran Bicheno, and Leo Gao. “Datasheet for the Pile.” "
            "Preprint, 2022."
        ),
        "abstract": (
            (
                "This datasheet describes the Pile, a 825 GiB dataset of human-authored text "
                "compiled by EleutherAI for use in large-scale language modeling. The Pile is"
                " comprised of 22 different text sources, ranging from original scrapes done "
                "for this project, to text data made available by the data owners, to "
                "third-party scrapes available online."
            ),
        ),
    },
    {
        "title": "LAION-400M: Open Dataset of CLIP-Filtered 400 Million Image-Text Pairs",
        "venue": "arXiv",
        "entry_type": "misc",
        "year": 2021,
        "authors": [
            "Christoph Schuhmann",
            "Richard Vencu",
            "Romain Beaumont",
            "Robert Kaczmarczyk",
            "Clayton Mullis",
            "Aarush Katta",
            "Theo Coombes",
            "Jenia Jitsev",
            "Aran Komatsuzaki",
        ],
        "arxiv_id": "2111.02114",
        "citation_text": (
            "Christoph Schuhmann, Richard Vencu, Romain Beaumont, Robert Kaczmarczyk, Clayton"
            " Mullis, Aarush Katta, Theo Coombes, Jenia Jitsev, Aran Komatsuzaki. "
            '"LAION-400M: Open Dataset of CLIP-Filtered 400 Million Image-Text Pairs." arXiv '
            "preprint arXiv: 2111.02114, 2021"
        ),
        "abstract": (
            (
                "Multi-modal language-vision models trained on hundreds of millions of "
                "image-text pairs (e.g. CLIP, DALL-E) gained a recent surge, showing "
                "remarkable capability to perform zero- or few-shot learning and transfer "
                "even in absence of per-sample labels on target image data. Despite this "
                "trend, to date there has been no publicly available datasets of sufficient "
                "scale for training such models from scratch. To address this issue, in a "
                "community effort we build and release for public LAION-400M, a dataset with "
                "CLIP-filtered 400 million image-text pairs, their CLIP embeddings and kNN "
                "indices that allow efficient similarity search."
            ),
        ),
    },
    {
        "title": "What Language Model to Train if You Have One Million GPU Hours?",
        "venue": "EMNLP",
        "entry_type": "inproceedings",
        "year": 2022,
        "booktitle": "Findings of the Association for Computational Linguistics: EMNLP 2022",
        # "Le Scao": Teven Le Scao (T0, xwinograd); "Phang": Jason Phang (EleutherAI paper).
        "authors": ["Teven Le Scao"],
        "also_includes": ["Stella Biderman", "Jason Phang", "Lintang Sutawika"],
        "authors_partial": True,
        "arxiv_id": "2210.15424",
        "citation_text": (
            'Le Scao, et al. (incl. Biderman, Phang, and Lintang Sutawika) "What Language '
            'Model to Train if You Have One Million GPU Hours?." arXiv preprint '
            "arXiv:2210.15424, 2022."
        ),
        "abstract": (
            (
                "The crystallization of modeling methods around the Transformer architecture "
                "has been a boon for practitioners. Simple, well-motivated architectural "
                "variations can transfer across tasks and scale, increasing the impact of "
                "modeling research. However, with the emergence of state-of-the-art 100B+ "
                "parameters models, large language models are increasingly expensive to "
                "accurately design and train. Notably, it can be difficult to evaluate how "
                "modeling decisions may impact emergent capabilities, given that these "
                "capabilities arise mainly from sheer scale alone. In the process of building"
                " BLOOM--the Big Science Large Open-science Open-access Multilingual language"
                " model--our goal is to identify an architecture and training setup that "
                "makes the best use of our 1,000,000 A100-GPU-hours budget. Specifically, we "
                "perform an ablation study at the billion-parameter scale comparing different"
                " modeling practices and their impact on zero-shot generalization. In "
                "addition, we study the impact of various popular pre-training corpora on "
                "zero-shot generalization. We also study the performance of a multilingual "
                "model and how it compares to the English-only one. Finally, we consider the "
                "scaling behaviour of Transformers to choose the target model size, shape, "
                "and training setup. All our models and code are open-sourced at this URL."
            ),
        ),
    },
    {
        # No citation line on the page: no authors, no year.
        "title": "Towards Deconfusing Gradient Hacking",
        "venue": "Alignment Forum",
        "entry_type": "misc",
        "year": None,
        "authors": [],
        "citation_text": "",
        "abstract": (
            (
                "When we think about gradient hacking, the most intuitive framing is to "
                "consider some kind of agent embedded inside a larger network (like a GPT) "
                "that somehow intentionally modifies the loss landscape of the larger network"
                " with respect to the base loss, and that this modification makes it so that "
                "in optimizing for the base objective, the base optimizer also happens to "
                "optimize the mesaobjective. Here I consider the base objective to be a "
                "function Θ→R from the params of the network to the reals, that has all the "
                "training data baked in for simplicity, and the mesaobjective another "
                "function Θ→R, possibly with some constraint that both objectives have to be "
                "indifferent between models which behave the same on all inputs. The "
                '"somehow" is often considered to be some kind of perturbing or otherwise '
                "making the output of the larger network worse whenever the mesaobjective "
                "isn't met, therefore creating an incentive for gradient descent to improve "
                "the mesaobjective. One example of this line of thinking can be found in my "
                "last post about gradient hacking. Unfortunately, I think there are some "
                "confusions with this framing."
            ),
        ),
    },
    {
        "title": "Cut the CARP: Fishing for zero-shot story evaluation",
        "venue": "arXiv",
        "entry_type": "misc",
        "year": 2021,
        "authors": [
            "Shahbuland Matiana*",
            "JR Smith*",
            "Ryan Teehan*",
            "Louis Castricato*",
            "Stella Biderman*",
            "Leo Gao",
            "Spencer Frazier",
        ],
        "arxiv_id": "2110.03111",
        "citation_text": (
            "Shahbuland Matiana*, JR Smith*, Ryan Teehan*, Louis Castricato*, Stella "
            "Biderman*, Leo Gao, and Spencer Frazier. “Cut the CARP: Fishing for zero-shot "
            "story evaluation.” arXiv preprint arXiv:2110.03111, 2021."
        ),
        "abstract": (
            (
                "Recent advances in large-scale language models (Raffel et al., 2019; Brown "
                "et al., 2020) have brought significant qualitative and quantitative "
                "improvements in machine-driven text generation. Despite this, generation and"
                " evaluation of machine-generated narrative text remains a challenging "
                "problem. Objective evaluation of computationally-generated stories may be "
                "prohibitively expensive, require meticulously annotated datasets, or may not"
                " adequately measure the logical coherence of a generated story's "
                "narratological structure."
            ),
            (
                "Informed by recent advances in contrastive learning (Radford et al., 2021), "
                "we present Contrastive Authoring and Reviewing Pairing (CARP): a scalable, "
                "efficient method for performing qualitatively superior, zero-shot evaluation"
                " of stories. We show a strong correlation between human evaluation of "
                "stories and those of CARP. Model outputs more significantly correlate with "
                "corresponding human input than those language-model based methods which "
                "utilize finetuning or prompt engineering approaches. We also present and "
                "analyze the Story-Critique Dataset, a new corpora composed of 1.3 million "
                "aligned story-critique pairs derived from over 80,000 stories. We expect "
                "this corpus to be of interest to NLP researchers."
            ),
        ),
    },
]


def setup_scratch_django():
    """Point Django at an empty in-memory database and create the tables."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def name_parts(name):
    """(given, particle, family, suffix) of a name as the sources write it."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    name = SAME_PERSON.get(name, name)
    if name in NAME_PARTS:
        return (*NAME_PARTS[name], "")
    parts = parse_single_name_into_parts(name)
    return (" ".join(parts.first), " ".join(parts.von), " ".join(parts.last), " ".join(parts.jr))


def build():
    """Create every record of the seed in the (scratch) database."""
    from bibliography.keys import generate_citation_key
    from bibliography.models import Author, Authorship, Award, Paper, Venue

    venues = {
        short: Venue.objects.create(short_name=short, name=name, kind=kind)
        for short, name, kind in VENUES
    }
    awards = {name: Award.objects.create(name=name, kind=kind) for name, kind in AWARDS}
    people = {}

    def person(name):
        parts = name_parts(name)
        if parts not in people:
            given, particle, family, suffix = parts
            people[parts] = Author.objects.create(
                given_name=given,
                particle=particle,
                family_name=family,
                suffix=suffix,
                is_site_owner=name == OWNER,
            )
        return people[parts]

    fields = {
        "doi", "arxiv_id", "arxiv_primary_class", "url", "booktitle", "publisher", "volume",
        "pages", "month", "extra_fields",
    }  # fmt: skip
    for number, work in enumerate(WORKS, start=1):
        paper = Paper.objects.create(
            title=work["title"],
            venue=venues[work["venue"]],
            entry_type=work["entry_type"],
            year=work["year"],
            abstract="\n\n".join(work["abstract"]),
            citation_text=work["citation_text"],
            authors_partial=work.get("authors_partial", False),
            # Replaced below, once the byline exists, by the project's key rule.
            citation_key=f"seed-{number}",
            **{field: work[field] for field in fields if field in work},
        )
        known = len(work["authors"])
        for position, name in enumerate(work["authors"], start=1):
            Authorship.objects.create(
                paper=paper,
                author=person(name.rstrip("*")),
                position=position,
                equal_contribution=name.endswith("*"),
            )
        # "incl." people go after the known byline: on the paper, never written into exports.
        for position, name in enumerate(work.get("also_includes", ()), start=known + 1):
            Authorship.objects.create(
                paper=paper, author=person(name), position=position, order_known=False
            )
        paper.awards.set([awards[name] for name in work.get("awards", ())])
        paper.citation_key = generate_citation_key(paper)
        paper.save(update_fields=["citation_key"])
    Paper.objects.update(created_at=RECORD_TIMESTAMP, updated_at=RECORD_TIMESTAMP)


def main(argv):
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    setup_scratch_django()
    build()
    from django.core.management import call_command

    call_command(
        "dumpdata",
        "bibliography",
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        output=str(output),
        verbosity=0,
    )
    print(f"Wrote {output}")


if __name__ == "__main__":
    main(sys.argv)
