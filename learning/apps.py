from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # Imported here, not at the top: Django loads models only after every app config.
        from learning.discovery.index import SearchIndex
        from learning.returns.reach import reach_page_context
        from reviews.publishing.pages import review_page_context_register
        from reviews.publishing.public_copies import review_index_register

        # Publishing tells search about every change to what the public sees.
        review_index_register(SearchIndex())
        # A review's stored page says how many teams have discussed it.
        review_page_context_register(reach_page_context)
