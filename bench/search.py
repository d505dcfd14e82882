"""``searchRegulations`` through the whole GraphQL stack against its search layer called
directly.

The baseline makes exactly the Meilisearch requests jiandu makes, and ranks as it does
(``search.regulations.run``), so the ratio is the cost of the rest: GraphQL, the permission
filter, and loading the page's documents from MongoDB. (``bench/search_quality.py`` compares
the whole against a plain Meilisearch index on a real library.)
"""

import random

from bench.common import Bench, Measured, timings
from search.client import call
from search.query import read
from search.regulations import RegulationSearch, run
from seed.generated import WORDS

QUERY = """query S($q: String!) { searchRegulations(query: $q, first: 10) {
  totalCount edges { node { regulation { id title } articles { label passage { text } } } } } }"""


def queries(count: int) -> list[str]:
    """Two generated words each, the same in every run."""
    rng = random.Random(11)
    return [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(count)]


async def search(b: Bench) -> Measured:
    texts = queries(b.runs + 50)
    prefix = b.resources.settings.mongodb_database
    meili = b.resources.meili

    def raw_search(text: str) -> object:
        wanted = RegulationSearch(text=text, visibilities=["PUBLIC"], limit=10, facets=False)
        return run(meili, wanted, prefix, read(text).text, b.resources.word_counts)

    async def raw(i: int) -> object:
        return await call(lambda: raw_search(texts[i]))

    async def ours(i: int) -> object:
        return await b.graphql(QUERY, {"q": texts[i]})

    baseline = await timings(raw, b.runs)
    measured = await timings(ours, b.runs)
    return Measured("searchRegulations, 2 words, 10 per page", measured, baseline)
