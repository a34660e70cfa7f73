from datetime import timedelta

from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "agora.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.core.extension_points import personal_data, personal_data_erase, recommendations
        from agora.core.extension_points import retention_rules as retention_point
        from agora.recommendations import handlers  # noqa: F401  (registers the event handlers)
        from agora.recommendations import personal_data as mine
        from agora.recommendations.retention import retention_rules
        from agora.recommendations.storefront import storefront_recommendations
        from agora.recommendations.tasks import has_purchases, recs_train

        recommendations.register(storefront_recommendations, key="recommendations")
        personal_data.register(mine.export, key="recommendations")
        personal_data_erase.register(mine.erase, key="recommendations")
        schedule.every(timedelta(days=1), recs_train, name="recs.train", when=has_purchases)
        retention_point.register(retention_rules, key="recommendations")
