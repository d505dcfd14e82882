"""``searchRegulations`` through the whole GraphQL stack against the same two Meilisearch
requests made directly.

The baseline sends exactly the requests jiandu sends (documents with facets, then the
matching articles of each document on the page), so the ratio is jiandu's own cost: GraphQL,
the permission filter, highlighting, and loading the page's documents from MongoDB.
"""

import random

from bench.common import Bench, Measured, timings
from search.client import call
from search.regulations import RegulationSearch, article_queries, requests
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
        wanted = RegulationSearch(text=text, visibilities=["PUBLIC"], limit=10)
        uid, q, parameters = requests(wanted, prefix)
        found = meili.index(uid).search(q, parameters)
        ids = [hit["source_id"] for hit in found["hits"]]
        if ids:
            meili.multi_search(article_queries(wanted, prefix, ids))
        return found

    async def raw(i: int) -> object:
        return await call(lambda: raw_search(texts[i]))

    async def ours(i: int) -> object:
        return await b.graphql(QUERY, {"q": texts[i]})

    baseline = await timings(raw, b.runs)
    measured = await timings(ours, b.runs)
    return Measured("searchRegulations, 2 words, 10 per page", measured, baseline)
