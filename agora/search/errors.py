"""Problem types of search: each names the parameter at fault and what would be accepted."""

from agora.core.errors import problem_type

QUERY_TOO_LONG = problem_type(
    "search-query-too-long",
    "The search query is too long",
    422,
    "A search query (or a suggestion prefix) has at most 200 characters; shorten it.",
)
INVALID_SORT = problem_type(
    "search-invalid-sort",
    "Unknown sort order",
    422,
    "`sort` is one of relevance, price_asc, price_desc, newest, popular.",
)
INVALID_PRICE_RANGE = problem_type(
    "search-invalid-price-range",
    "The price range is not valid",
    422,
    "`min_price` and `max_price` are amounts in minor units of `currency` (cents for EUR), not "
    "negative, with the minimum not above the maximum.",
)
INVALID_LANGUAGE = problem_type(
    "search-invalid-language",
    "Unsupported language",
    422,
    "`lang` is a language the site offers: en or zh-hans (regional variants such as en-GB or "
    "zh-CN are accepted).",
)
INVALID_CURRENCY = problem_type(
    "search-invalid-currency",
    "Unknown currency",
    422,
    "`currency` is a three-letter ISO 4217 code such as EUR, GBP or CNY.",
)
INVALID_PAGE = problem_type(
    "search-invalid-page",
    "The page is out of range",
    422,
    "`limit` is between 1 and 100 and `offset` between 0 and 10000; narrow the search to go "
    "further.",
)
