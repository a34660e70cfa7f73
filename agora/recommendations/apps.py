from datetime import timedelta

from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "agora.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.core.extension_points import recommendations
        from agora.core.extension_points import retention_rules as retention_point
        from agora.recommendations import handlers  # noqa: F401  (registers the event handlers)
        from agora.recommendations.retention import retention_rules
        from agora.recommendations.storefront import storefront_recommendations
        from agora.recommendations.tasks import has_purchases, recs_train

        recommendations.register(storefront_recommendations, key="recommendations")
        schedule.every(timedelta(days=1), recs_train, name="recs.train", when=has_purchases)
        retention_point.register(retention_rules, key="recommendations")
