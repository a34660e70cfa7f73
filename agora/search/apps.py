from datetime import timedelta

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "agora.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.search import handlers  # noqa: F401  (registers the event handlers)
        from agora.search.tasks import search_prune_applied_events

        schedule.every(
            timedelta(days=1), search_prune_applied_events, name="search.prune_applied_events"
        )
